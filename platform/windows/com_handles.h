// RAII for the COM resources the Windows probes hold: the thread's apartment, interface pointers,
// BSTRs and VARIANTs. Header only; every owner releases on every path, early returns included.
#pragma once

#include <objbase.h>
#include <oleauto.h>

#include <string_view>
#include <utility>

namespace mamori::platform {

// Joins the calling thread to the multithreaded apartment for this object's lifetime. S_OK and
// S_FALSE (already joined) both take a reference that CoUninitialize must give back;
// RPC_E_CHANGED_MODE means the thread already lives in a single-threaded apartment someone else
// owns: COM is usable there, but that apartment is not ours to leave.
class ComApartment {
 public:
  ComApartment() : result_(::CoInitializeEx(nullptr, COINIT_MULTITHREADED)) {}
  ~ComApartment() {
    if (SUCCEEDED(result_)) {
      ::CoUninitialize();
    }
  }
  ComApartment(const ComApartment&) = delete;
  ComApartment& operator=(const ComApartment&) = delete;

  bool usable() const { return SUCCEEDED(result_) || result_ == RPC_E_CHANGED_MODE; }
  HRESULT result() const { return result_; }

 private:
  HRESULT result_;
};

// Owns one reference to a COM interface.
template <typename Interface>
class ComPtr {
 public:
  ComPtr() = default;
  // Adopts a reference the caller already owns (e.g. one element of IEnumWbemClassObject::Next).
  explicit ComPtr(Interface* adopted) : pointer_(adopted) {}
  ~ComPtr() { Reset(); }
  ComPtr(const ComPtr&) = delete;
  ComPtr& operator=(const ComPtr&) = delete;
  ComPtr(ComPtr&& other) noexcept : pointer_(std::exchange(other.pointer_, nullptr)) {}
  ComPtr& operator=(ComPtr&& other) noexcept {
    if (this != &other) {
      Reset();
      pointer_ = std::exchange(other.pointer_, nullptr);
    }
    return *this;
  }

  Interface* get() const { return pointer_; }
  Interface* operator->() const { return pointer_; }
  explicit operator bool() const { return pointer_ != nullptr; }
  // For out-parameters: releases what is held, then hands out the slot to fill.
  Interface** put() {
    Reset();
    return &pointer_;
  }
  void** put_void() { return reinterpret_cast<void**>(put()); }
  void Reset() {
    if (pointer_ != nullptr) {
      std::exchange(pointer_, nullptr)->Release();
    }
  }

 private:
  Interface* pointer_ = nullptr;
};

// Owns a BSTR (SysFreeString accepts null).
class UniqueBstr {
 public:
  UniqueBstr() = default;
  explicit UniqueBstr(std::wstring_view text)
      : bstr_(::SysAllocStringLen(text.data(), static_cast<UINT>(text.size()))) {}
  ~UniqueBstr() { ::SysFreeString(bstr_); }
  UniqueBstr(const UniqueBstr&) = delete;
  UniqueBstr& operator=(const UniqueBstr&) = delete;

  BSTR get() const { return bstr_; }
  BSTR* put() {
    ::SysFreeString(bstr_);
    bstr_ = nullptr;
    return &bstr_;
  }
  std::wstring_view view() const {
    return bstr_ == nullptr ? std::wstring_view() : std::wstring_view(bstr_, ::SysStringLen(bstr_));
  }

 private:
  BSTR bstr_ = nullptr;
};

// Owns a VARIANT's contents (a BSTR or an interface inside it).
class UniqueVariant {
 public:
  UniqueVariant() { ::VariantInit(&variant_); }
  ~UniqueVariant() { ::VariantClear(&variant_); }
  UniqueVariant(const UniqueVariant&) = delete;
  UniqueVariant& operator=(const UniqueVariant&) = delete;

  const VARIANT& get() const { return variant_; }
  // Clears what is held, then hands out the VARIANT to fill.
  VARIANT* put() {
    ::VariantClear(&variant_);
    return &variant_;
  }

 private:
  VARIANT variant_;
};

}  // namespace mamori::platform
