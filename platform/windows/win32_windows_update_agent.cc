// The real WindowsUpdateAgent. Every COM object lives inside one call on one worker thread and is
// released before that thread leaves its apartment; nothing is cached between calls, which run a
// few times a day.
#include "platform/windows/win32_windows_update_agent.h"

// windows.h before the COM headers, which rely on its types.
#include <windows.h>

#include <oleauto.h>
#include <wuapi.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>
#include <utility>

#include "platform/parse/windows_time.h"
#include "platform/parse/windows_update.h"
#include "platform/windows/com_handles.h"
#include "platform/windows/wide_text.h"

namespace mamori::platform {
namespace {

using Clock = std::chrono::steady_clock;

constexpr wchar_t kClientApplicationId[] = L"mamori";
constexpr wchar_t kPendingCriteria[] = L"IsInstalled=0 and Type='Software' and IsHidden=0";
// How often a running search is asked whether it has finished: cheap, and a finished search is
// noticed within a quarter second.
constexpr DWORD kPollMilliseconds = 250;
// How long an aborted search gets to wind down before the probe stops waiting for it.
constexpr auto kAbortGrace = std::chrono::seconds(10);
// No title or ID comes near this; longer text is cut rather than carried whole.
constexpr UINT kMaxTextChars = 4096;
// GUID_NULL without linking libuuid: IDispatch's reserved "riid" argument.
constexpr IID kNullIid{};

std::string Failed(std::string_view call, HRESULT result) {
  return std::string(call) +
         " failed: " + parse::DescribeUpdateHresult(static_cast<uint32_t>(result));
}

std::string Utf8(BSTR text) {
  if (text == nullptr) {
    return {};
  }
  return ToUtf8(std::wstring_view(text, std::min(::SysStringLen(text), kMaxTextChars)));
}

// ISearchCompletedCallback is missing from mingw-w64's wuapi.h; BeginSearch refuses a null
// callback (E_POINTER), so one is declared here with the interface's documented IID. COM objects
// end through Release, never through delete on an interface pointer, so IUnknown has no virtual
// destructor by design and -Wnon-virtual-dtor does not apply.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnon-virtual-dtor"
struct SearchCompletedCallback : public IUnknown {
  virtual HRESULT STDMETHODCALLTYPE Invoke(ISearchJob* job, IDispatch* callback_args) = 0;
};
constexpr IID kSearchCompletedCallbackIid = {
    0x88aee058, 0xd4b0, 0x4725, {0xa2, 0xf1, 0x81, 0x4a, 0x67, 0xae, 0x96, 0x4c}};

// Completion is learnt by polling ISearchJob::IsCompleted, so the callback does nothing. It has
// static storage and ignores reference counts: WUA may call or release it after a timed-out search
// has been given up, when no object of ours would otherwise be alive.
class IgnoredSearchCompletion final : public SearchCompletedCallback {
 public:
  HRESULT STDMETHODCALLTYPE QueryInterface(REFIID iid, void** object) override {
    if (object == nullptr) {
      return E_POINTER;
    }
    if (iid == __uuidof(IUnknown) || iid == kSearchCompletedCallbackIid) {
      *object = static_cast<SearchCompletedCallback*>(this);
      return S_OK;
    }
    *object = nullptr;
    return E_NOINTERFACE;
  }
  ULONG STDMETHODCALLTYPE AddRef() override { return 1; }
  ULONG STDMETHODCALLTYPE Release() override { return 1; }
  HRESULT STDMETHODCALLTYPE Invoke(ISearchJob*, IDispatch*) override { return S_OK; }
};
#pragma GCC diagnostic pop

IgnoredSearchCompletion search_completion;

// Runs `work` on a fresh thread in the multithreaded apartment and returns its result; Result has
// an `error` member for when the thread or the apartment cannot be had.
template <typename Result, typename Work>
Result OnComThread(Work work) {
  Result result;
  try {
    std::thread worker([&result, &work] {
      const ComApartment apartment;
      if (!apartment.usable()) {
        result.error = Failed("CoInitializeEx(COINIT_MULTITHREADED)", apartment.result());
        return;
      }
      result = work();
    });
    worker.join();
  } catch (const std::system_error& error) {
    result = Result{};
    result.error =
        std::string("cannot start a thread for the Windows Update Agent: ") + error.what();
  }
  return result;
}

std::string CreateSearcher(ComPtr<IUpdateSearcher>& searcher) {
  ComPtr<IUpdateSession> session;
  HRESULT hr = ::CoCreateInstance(__uuidof(UpdateSession), nullptr, CLSCTX_INPROC_SERVER,
                                  __uuidof(IUpdateSession), session.put_void());
  if (FAILED(hr) || !session) {
    return Failed("CoCreateInstance(Microsoft.Update.Session)", FAILED(hr) ? hr : E_POINTER);
  }
  // Names the caller in WindowsUpdate.log; failure to set it changes nothing else.
  const UniqueBstr client_id(kClientApplicationId);
  session->put_ClientApplicationID(client_id.get());
  hr = session->CreateUpdateSearcher(searcher.put());
  if (FAILED(hr) || !searcher) {
    return Failed("IUpdateSession::CreateUpdateSearcher", FAILED(hr) ? hr : E_POINTER);
  }
  return {};
}

UpdateHistory ReadHistory() {
  UpdateHistory history;
  ComPtr<IUpdateSearcher> searcher;
  if (history.error = CreateSearcher(searcher); !history.ok()) {
    return history;
  }
  LONG total = 0;
  HRESULT hr = searcher->GetTotalHistoryCount(&total);
  if (FAILED(hr)) {
    history.error = Failed("IUpdateSearcher::GetTotalHistoryCount", hr);
    return history;
  }
  if (total <= 0) {
    return history;  // QueryHistory refuses a count of 0
  }
  const LONG wanted =
      std::min<LONG>(total, static_cast<LONG>(WindowsUpdateAgent::kMaxHistoryEntries));
  ComPtr<IUpdateHistoryEntryCollection> entries;
  hr = searcher->QueryHistory(0, wanted, entries.put());
  if (FAILED(hr) || !entries) {
    history.error = Failed("IUpdateSearcher::QueryHistory", FAILED(hr) ? hr : E_POINTER);
    return history;
  }
  LONG count = 0;
  if (hr = entries->get_Count(&count); FAILED(hr)) {
    history.error = Failed("IUpdateHistoryEntryCollection::get_Count", hr);
    return history;
  }
  count = std::clamp<LONG>(count, 0, wanted);
  for (LONG index = 0; index < count; ++index) {
    ComPtr<IUpdateHistoryEntry> entry;
    if (FAILED(entries->get_Item(index, entry.put())) || !entry) {
      continue;
    }
    UpdateHistoryEntry read;
    UpdateOperation operation{};
    if (SUCCEEDED(entry->get_Operation(&operation))) {
      read.operation = static_cast<int64_t>(operation);
    }
    OperationResultCode result_code{};
    if (SUCCEEDED(entry->get_ResultCode(&result_code))) {
      read.result_code = static_cast<int64_t>(result_code);
    }
    DATE date = 0;
    if (SUCCEEDED(entry->get_Date(&date))) {
      read.date = parse::FromOleDate(date);
    }
    UniqueBstr title;
    if (SUCCEEDED(entry->get_Title(title.put()))) {
      read.title = Utf8(title.get());
    }
    history.entries.push_back(std::move(read));
  }
  return history;
}

// One property of an automation object by name (late binding): mingw-w64's wuapi.h lacks
// IAutomaticUpdates2, whose Results property holds the date, and IDispatch reaches it regardless.
std::string GetProperty(IDispatch* object, std::wstring_view interface_name, const wchar_t* name,
                        UniqueVariant& value) {
  const std::string call =
      std::string(ToUtf8(interface_name)) + "::" + ToUtf8(std::wstring_view(name));
  LPOLESTR names[] = {const_cast<LPOLESTR>(name)};
  DISPID id = 0;
  HRESULT hr = object->GetIDsOfNames(kNullIid, names, 1, LOCALE_USER_DEFAULT, &id);
  if (FAILED(hr)) {
    return Failed(call + " (GetIDsOfNames)", hr);
  }
  DISPPARAMS no_arguments{nullptr, nullptr, 0, 0};
  hr = object->Invoke(id, kNullIid, LOCALE_USER_DEFAULT, DISPATCH_PROPERTYGET, &no_arguments,
                      value.put(), nullptr, nullptr);
  if (FAILED(hr)) {
    return Failed(call, hr);
  }
  return {};
}

AutomaticSearch ReadLastAutomaticSearch() {
  AutomaticSearch search;
  ComPtr<IDispatch> automatic_updates;
  const HRESULT hr = ::CoCreateInstance(__uuidof(AutomaticUpdates), nullptr, CLSCTX_INPROC_SERVER,
                                        __uuidof(IDispatch), automatic_updates.put_void());
  if (FAILED(hr) || !automatic_updates) {
    search.error =
        Failed("CoCreateInstance(Microsoft.Update.AutoUpdate)", FAILED(hr) ? hr : E_POINTER);
    return search;
  }
  UniqueVariant results;
  if (search.error =
          GetProperty(automatic_updates.get(), L"IAutomaticUpdates2", L"Results", results);
      !search.ok()) {
    return search;
  }
  if (results.get().vt != VT_DISPATCH || results.get().pdispVal == nullptr) {
    search.error = "IAutomaticUpdates2::Results is not an object (VARIANT type " +
                   std::to_string(results.get().vt) + ")";
    return search;
  }
  UniqueVariant date;
  if (search.error = GetProperty(results.get().pdispVal, L"IAutomaticUpdatesResults",
                                 L"LastSearchSuccessDate", date);
      !search.ok()) {
    return search;
  }
  if (date.get().vt == VT_DATE) {
    search.succeeded_at = parse::FromOleDate(date.get().date);
  } else if (date.get().vt != VT_EMPTY && date.get().vt != VT_NULL) {
    // VT_EMPTY means Automatic Updates never searched successfully.
    search.error = "IAutomaticUpdatesResults::LastSearchSuccessDate has VARIANT type " +
                   std::to_string(date.get().vt);
  }
  return search;
}

std::vector<std::string> ReadStrings(IStringCollection* strings) {
  std::vector<std::string> read;
  LONG count = 0;
  if (strings == nullptr || FAILED(strings->get_Count(&count))) {
    return read;
  }
  count = std::clamp<LONG>(count, 0, static_cast<LONG>(WindowsUpdateAgent::kMaxIdsPerUpdate));
  for (LONG index = 0; index < count; ++index) {
    UniqueBstr text;
    if (SUCCEEDED(strings->get_Item(index, text.put()))) {
      read.push_back(Utf8(text.get()));
    }
  }
  return read;
}

std::vector<std::string> ReadCategoryIds(ICategoryCollection* categories) {
  std::vector<std::string> ids;
  LONG count = 0;
  if (categories == nullptr || FAILED(categories->get_Count(&count))) {
    return ids;
  }
  count = std::clamp<LONG>(count, 0, static_cast<LONG>(WindowsUpdateAgent::kMaxIdsPerUpdate));
  for (LONG index = 0; index < count; ++index) {
    ComPtr<ICategory> category;
    UniqueBstr id;
    if (SUCCEEDED(categories->get_Item(index, category.put())) && category &&
        SUCCEEDED(category->get_CategoryID(id.put()))) {
      ids.push_back(Utf8(id.get()));
    }
  }
  return ids;
}

AvailableUpdate ReadUpdate(IUpdate* update) {
  AvailableUpdate read;
  UniqueBstr title;
  if (SUCCEEDED(update->get_Title(title.put()))) {
    read.title = Utf8(title.get());
  }
  UniqueBstr severity;
  if (SUCCEEDED(update->get_MsrcSeverity(severity.put()))) {
    read.msrc_severity = Utf8(severity.get());
  }
  ComPtr<IStringCollection> kb_ids;
  if (SUCCEEDED(update->get_KBArticleIDs(kb_ids.put()))) {
    read.kb_article_ids = ReadStrings(kb_ids.get());
  }
  ComPtr<ICategoryCollection> categories;
  if (SUCCEEDED(update->get_Categories(categories.put()))) {
    read.category_ids = ReadCategoryIds(categories.get());
  }
  return read;
}

// Waits for the job until the deadline, then asks it to abort and gives it kAbortGrace to stop.
// Returns an error when the search did not finish in time.
std::string AwaitSearch(ISearchJob* job, std::chrono::seconds timeout) {
  const Clock::time_point deadline = Clock::now() + timeout;
  bool aborted = false;
  while (true) {
    VARIANT_BOOL completed = VARIANT_FALSE;
    if (const HRESULT hr = job->get_IsCompleted(&completed); FAILED(hr)) {
      return Failed("ISearchJob::get_IsCompleted", hr);
    }
    const Clock::time_point now = Clock::now();
    if (completed != VARIANT_FALSE) {
      if (aborted) {
        break;
      }
      job->CleanUp();
      return {};
    }
    if (!aborted && now >= deadline) {
      job->RequestAbort();
      aborted = true;
    }
    if (aborted && now >= deadline + kAbortGrace) {
      // Still running: released without CleanUp, which would wait for it.
      return "IUpdateSearcher::BeginSearch did not finish within " +
             std::to_string(timeout.count()) + " s and did not stop after RequestAbort";
    }
    ::Sleep(kPollMilliseconds);
  }
  job->CleanUp();
  return "IUpdateSearcher::BeginSearch did not finish within " + std::to_string(timeout.count()) +
         " s: aborted";
}

UpdateSearch SearchPendingUpdates(std::chrono::seconds timeout) {
  UpdateSearch search;
  ComPtr<IUpdateSearcher> searcher;
  if (search.error = CreateSearcher(searcher); !search.ok()) {
    return search;
  }
  UniqueBstr criteria(kPendingCriteria);
  UniqueVariant state;  // VT_EMPTY: no caller state
  ComPtr<ISearchJob> job;
  HRESULT hr = searcher->BeginSearch(criteria.get(), &search_completion, state.get(), job.put());
  if (FAILED(hr) || !job) {
    search.error = Failed("IUpdateSearcher::BeginSearch", FAILED(hr) ? hr : E_POINTER);
    return search;
  }
  if (search.error = AwaitSearch(job.get(), timeout); !search.ok()) {
    return search;
  }
  ComPtr<ISearchResult> result;
  hr = searcher->EndSearch(job.get(), result.put());
  if (FAILED(hr) || !result) {
    search.error = Failed("IUpdateSearcher::EndSearch", FAILED(hr) ? hr : E_POINTER);
    return search;
  }
  OperationResultCode code{};
  if (hr = result->get_ResultCode(&code); FAILED(hr)) {
    search.error = Failed("ISearchResult::get_ResultCode", hr);
    return search;
  }
  const parse::OperationResult outcome = parse::DecodeOperationResult(code);
  if (outcome != parse::OperationResult::kSucceeded &&
      outcome != parse::OperationResult::kSucceededWithErrors) {
    search.error = "the update search " + std::string(parse::OperationResultName(outcome)) +
                   " (ResultCode " + std::to_string(static_cast<int>(code)) + ")";
    return search;
  }
  ComPtr<IUpdateCollection> updates;
  LONG count = 0;
  if (hr = result->get_Updates(updates.put()); FAILED(hr) || !updates) {
    search.error = Failed("ISearchResult::get_Updates", FAILED(hr) ? hr : E_POINTER);
    return search;
  }
  if (hr = updates->get_Count(&count); FAILED(hr)) {
    search.error = Failed("IUpdateCollection::get_Count", hr);
    return search;
  }
  const LONG limit = static_cast<LONG>(WindowsUpdateAgent::kMaxAvailableUpdates);
  search.truncated = count > limit;
  count = std::clamp<LONG>(count, 0, limit);
  for (LONG index = 0; index < count; ++index) {
    ComPtr<IUpdate> update;
    if (hr = updates->get_Item(index, update.put()); FAILED(hr) || !update) {
      // A list with holes would read as fewer pending updates than there are.
      search.updates.clear();
      search.error = Failed("IUpdateCollection::get_Item", FAILED(hr) ? hr : E_POINTER);
      return search;
    }
    search.updates.push_back(ReadUpdate(update.get()));
  }
  return search;
}

class Win32WindowsUpdateAgent final : public WindowsUpdateAgent {
 public:
  UpdateHistory History() override { return OnComThread<UpdateHistory>(ReadHistory); }
  AutomaticSearch LastAutomaticSearch() override {
    return OnComThread<AutomaticSearch>(ReadLastAutomaticSearch);
  }
  UpdateSearch SearchPending(std::chrono::seconds timeout) override {
    return OnComThread<UpdateSearch>([timeout] { return SearchPendingUpdates(timeout); });
  }
};

}  // namespace

std::unique_ptr<WindowsUpdateAgent> MakeWin32WindowsUpdateAgent() {
  return std::make_unique<Win32WindowsUpdateAgent>();
}

}  // namespace mamori::platform
