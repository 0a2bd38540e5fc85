// A disk that fills up on command, for tests: an SQLite VFS that wraps the default one and, once
// told to, answers every write with SQLITE_FULL, exactly as SQLite sees a full disk. Installed as
// the process's default VFS, so the collector's own Database::Open uses it unchanged.
#pragma once

#include <sqlite3.h>

#include <atomic>
#include <cstdint>
#include <cstring>
#include <mutex>

namespace mamori::collector::testing {

class FailingDisk {
 public:
  // Installs the wrapper as the default VFS (once per process) and returns the switch.
  static FailingDisk& Install() {
    static FailingDisk* disk = [] {
      auto* created = new FailingDisk();
      sqlite3_vfs_register(&created->vfs_, /*makeDflt=*/1);
      return created;
    }();
    return *disk;
  }

  // Writes fail once `bytes` more have been written (0: from the next write on), until Free().
  void FillAfter(std::int64_t bytes) { Set(bytes, kUnlimited); }
  // The same, but only `refusals` writes fail; then space is back by itself (another program
  // deleted a file): the case where a batch could half-succeed.
  void FillBriefly(std::int64_t after_bytes, std::int64_t refusals) { Set(after_bytes, refusals); }
  // Space is back: writes work again.
  void Free() { Set(kUnlimited, kUnlimited); }
  std::int64_t refused_writes() const { return refused_writes_; }

 private:
  static constexpr std::int64_t kUnlimited = -1;

  struct File {
    sqlite3_file base;
    sqlite3_file* real;  // right after this struct, in the same allocation
  };

  FailingDisk() : real_(sqlite3_vfs_find(nullptr)) {
    vfs_ = *real_;
    vfs_.zName = "mamori-test-failing-disk";
    vfs_.szOsFile = static_cast<int>(sizeof(File)) + real_->szOsFile;
    vfs_.pAppData = this;
    vfs_.xOpen = &Open;
    vfs_.pNext = nullptr;

    methods_.iVersion = 3;
    methods_.xClose = [](sqlite3_file* f) {
      const int rc = Real(f)->pMethods->xClose(Real(f));
      f->pMethods = nullptr;
      return rc;
    };
    methods_.xRead = [](sqlite3_file* f, void* buffer, int amount, sqlite3_int64 offset) {
      return Real(f)->pMethods->xRead(Real(f), buffer, amount, offset);
    };
    methods_.xWrite = [](sqlite3_file* f, const void* buffer, int amount, sqlite3_int64 offset) {
      if (!Install().Admit(amount)) {
        return SQLITE_FULL;
      }
      return Real(f)->pMethods->xWrite(Real(f), buffer, amount, offset);
    };
    methods_.xTruncate = [](sqlite3_file* f, sqlite3_int64 size) {
      return Real(f)->pMethods->xTruncate(Real(f), size);
    };
    methods_.xSync = [](sqlite3_file* f, int flags) {
      return Real(f)->pMethods->xSync(Real(f), flags);
    };
    methods_.xFileSize = [](sqlite3_file* f, sqlite3_int64* size) {
      return Real(f)->pMethods->xFileSize(Real(f), size);
    };
    methods_.xLock = [](sqlite3_file* f, int lock) {
      return Real(f)->pMethods->xLock(Real(f), lock);
    };
    methods_.xUnlock = [](sqlite3_file* f, int lock) {
      return Real(f)->pMethods->xUnlock(Real(f), lock);
    };
    methods_.xCheckReservedLock = [](sqlite3_file* f, int* out) {
      return Real(f)->pMethods->xCheckReservedLock(Real(f), out);
    };
    methods_.xFileControl = [](sqlite3_file* f, int op, void* arg) {
      return Real(f)->pMethods->xFileControl(Real(f), op, arg);
    };
    methods_.xSectorSize = [](sqlite3_file* f) { return Real(f)->pMethods->xSectorSize(Real(f)); };
    methods_.xDeviceCharacteristics = [](sqlite3_file* f) {
      return Real(f)->pMethods->xDeviceCharacteristics(Real(f));
    };
    methods_.xShmMap = [](sqlite3_file* f, int page, int size, int extend, void volatile** out) {
      return Real(f)->pMethods->xShmMap(Real(f), page, size, extend, out);
    };
    methods_.xShmLock = [](sqlite3_file* f, int offset, int n, int flags) {
      return Real(f)->pMethods->xShmLock(Real(f), offset, n, flags);
    };
    methods_.xShmBarrier = [](sqlite3_file* f) { Real(f)->pMethods->xShmBarrier(Real(f)); };
    methods_.xShmUnmap = [](sqlite3_file* f, int delete_flag) {
      return Real(f)->pMethods->xShmUnmap(Real(f), delete_flag);
    };
    // No memory-mapped reads: every page goes through xRead/xWrite above.
    methods_.xFetch = [](sqlite3_file*, sqlite3_int64, int, void** out) {
      *out = nullptr;
      return SQLITE_OK;
    };
    methods_.xUnfetch = [](sqlite3_file*, sqlite3_int64, void*) { return SQLITE_OK; };
  }

  void Set(std::int64_t budget, std::int64_t refusals) {
    std::lock_guard<std::mutex> lock(mu_);
    budget_ = budget;
    refusals_left_ = refusals;
  }

  // Whether a write of `amount` bytes fits on the disk now.
  bool Admit(int amount) {
    std::lock_guard<std::mutex> lock(mu_);
    if (budget_ == kUnlimited) {
      return true;
    }
    if (budget_ >= amount) {
      budget_ -= amount;
      return true;
    }
    if (refusals_left_ == 0) {
      budget_ = kUnlimited;
      return true;
    }
    if (refusals_left_ > 0) {
      --refusals_left_;
    }
    ++refused_writes_;
    return false;
  }

  static sqlite3_file* Real(sqlite3_file* f) { return reinterpret_cast<File*>(f)->real; }

  static int Open(sqlite3_vfs* vfs, const char* name, sqlite3_file* f, int flags, int* out_flags) {
    auto* disk = static_cast<FailingDisk*>(vfs->pAppData);
    auto* file = reinterpret_cast<File*>(f);
    std::memset(file, 0, sizeof(File));
    file->real = reinterpret_cast<sqlite3_file*>(file + 1);
    const int rc = disk->real_->xOpen(disk->real_, name, file->real, flags, out_flags);
    // SQLite calls xClose only when pMethods is set: leave it null when the real open failed.
    if (file->real->pMethods != nullptr) {
      file->base.pMethods = &disk->methods_;
    }
    return rc;
  }

  sqlite3_vfs* real_;
  sqlite3_vfs vfs_{};
  sqlite3_io_methods methods_{};
  std::mutex mu_;
  std::int64_t budget_ = kUnlimited;
  std::int64_t refusals_left_ = kUnlimited;
  std::atomic<std::int64_t> refused_writes_{0};
};

}  // namespace mamori::collector::testing
