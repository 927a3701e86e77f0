#include "store/sqlite/wal_write_buffer.h"

#include <sqlite3.h>

#include <cstring>

namespace convault::sqlite {
namespace {

constexpr int kCapacity = 1 << 20;  // a commit larger than this is written in parts
// The default unix VFS writes at most 128 KiB - 1 bytes per call (it masks
// the length to 17 bits), so a flush goes out in parts of this size.
constexpr int kMaxWrite = 64 << 10;
constexpr int kFrameHeaderSize = 24;

// A write-ahead log opened through the VFS below. SQLite allocates it
// (szOsFile bytes) and never constructs it: plain members only. The default
// VFS's file lives right after it.
struct WalFile {
  sqlite3_file base;
  sqlite3_file* real;
  char* buffer;              // kCapacity bytes, from the first write
  int held;                  // bytes in buffer
  sqlite3_int64 start;       // the log offset of buffer[0]
  bool commit_frame_header;  // the last write was the header of a commit frame
};

WalFile* Wal(sqlite3_file* f) { return reinterpret_cast<WalFile*>(f); }

int Flush(WalFile* w) {
  int rc = SQLITE_OK;
  for (int done = 0; done < w->held && rc == SQLITE_OK; done += kMaxWrite) {
    const int part = w->held - done < kMaxWrite ? w->held - done : kMaxWrite;
    rc = w->real->pMethods->xWrite(w->real, w->buffer + done, part, w->start + done);
  }
  w->held = 0;
  return rc;
}

int WalClose(sqlite3_file* f) {
  WalFile* w = Wal(f);
  int rc = Flush(w);
  int closed = w->real->pMethods->xClose(w->real);
  sqlite3_free(w->buffer);
  w->buffer = nullptr;
  return rc != SQLITE_OK ? rc : closed;
}

int WalRead(sqlite3_file* f, void* out, int amount, sqlite3_int64 offset) {
  WalFile* w = Wal(f);
  if (w->held > 0 && offset < w->start + w->held && offset + amount > w->start) {
    if (int rc = Flush(w); rc != SQLITE_OK) return rc;
  }
  return w->real->pMethods->xRead(w->real, out, amount, offset);
}

int WalWrite(sqlite3_file* f, const void* data, int amount, sqlite3_int64 offset) {
  WalFile* w = Wal(f);
  if (w->held > 0 &&
      (offset != w->start + w->held || w->held + amount > kCapacity || amount > kMaxWrite)) {
    if (int rc = Flush(w); rc != SQLITE_OK) return rc;
  }
  // Larger than a page can be (64 KiB): not a frame; written as it comes.
  if (amount > kMaxWrite) return w->real->pMethods->xWrite(w->real, data, amount, offset);
  if (w->buffer == nullptr) {
    // Only a connection that writes needs one.
    w->buffer = static_cast<char*>(sqlite3_malloc(kCapacity));
    if (w->buffer == nullptr) return SQLITE_NOMEM;
  }
  if (w->held == 0) w->start = offset;
  std::memcpy(w->buffer + w->held, data, static_cast<size_t>(amount));
  w->held += amount;
  if (amount == kFrameHeaderSize) {
    // A frame header; bytes 4-7 (the database size after a commit) are not
    // zero in the last frame of a transaction (SQLite's file format, "WAL
    // frame header").
    const auto* h = static_cast<const unsigned char*>(data);
    w->commit_frame_header = (h[4] | h[5] | h[6] | h[7]) != 0;
    return SQLITE_OK;
  }
  if (w->commit_frame_header) {
    // The commit frame's page: the transaction is complete. Out before
    // SQLite publishes it to other connections.
    w->commit_frame_header = false;
    return Flush(w);
  }
  return SQLITE_OK;
}

int WalTruncate(sqlite3_file* f, sqlite3_int64 size) {
  WalFile* w = Wal(f);
  if (int rc = Flush(w); rc != SQLITE_OK) return rc;
  return w->real->pMethods->xTruncate(w->real, size);
}

int WalSync(sqlite3_file* f, int flags) {
  WalFile* w = Wal(f);
  if (int rc = Flush(w); rc != SQLITE_OK) return rc;
  return w->real->pMethods->xSync(w->real, flags);
}

int WalFileSize(sqlite3_file* f, sqlite3_int64* size) {
  WalFile* w = Wal(f);
  if (int rc = Flush(w); rc != SQLITE_OK) return rc;
  return w->real->pMethods->xFileSize(w->real, size);
}

int WalLock(sqlite3_file* f, int level) {
  return Wal(f)->real->pMethods->xLock(Wal(f)->real, level);
}

int WalUnlock(sqlite3_file* f, int level) {
  return Wal(f)->real->pMethods->xUnlock(Wal(f)->real, level);
}

int WalCheckReservedLock(sqlite3_file* f, int* out) {
  return Wal(f)->real->pMethods->xCheckReservedLock(Wal(f)->real, out);
}

int WalFileControl(sqlite3_file* f, int op, void* arg) {
  WalFile* w = Wal(f);
  if (int rc = Flush(w); rc != SQLITE_OK) return rc;
  return w->real->pMethods->xFileControl(w->real, op, arg);
}

int WalSectorSize(sqlite3_file* f) { return Wal(f)->real->pMethods->xSectorSize(Wal(f)->real); }

int WalDeviceCharacteristics(sqlite3_file* f) {
  return Wal(f)->real->pMethods->xDeviceCharacteristics(Wal(f)->real);
}

// Version 1: a log has no shared memory and is not memory-mapped (SQLite
// asks those of the database file).
const sqlite3_io_methods kWalMethods = {
    1,
    WalClose,
    WalRead,
    WalWrite,
    WalTruncate,
    WalSync,
    WalFileSize,
    WalLock,
    WalUnlock,
    WalCheckReservedLock,
    WalFileControl,
    WalSectorSize,
    WalDeviceCharacteristics,
    nullptr,
    nullptr,
    nullptr,
    nullptr,
    nullptr,
    nullptr,
};

// The default VFS, set before this one is registered. Its methods other
// than xOpen are this VFS's too, called with this VFS's pointer; its
// pAppData is kept, as they may read it.
sqlite3_vfs* real_vfs = nullptr;

int Open(sqlite3_vfs*, const char* name, sqlite3_file* file, int flags, int* out_flags) {
  sqlite3_vfs* real = real_vfs;
  // Everything but a log is the default VFS's own file (this VFS's files are
  // larger than its, so it fits).
  if ((flags & SQLITE_OPEN_WAL) == 0) return real->xOpen(real, name, file, flags, out_flags);
  WalFile* w = Wal(file);
  w->base.pMethods = nullptr;
  w->real = reinterpret_cast<sqlite3_file*>(w + 1);
  w->held = 0;
  w->start = 0;
  w->commit_frame_header = false;
  w->buffer = nullptr;
  int rc = real->xOpen(real, name, w->real, flags, out_flags);
  if (rc != SQLITE_OK) {
    // SQLite closes a file whose open failed only if its methods are set,
    // and ours are not: the default VFS's part is closed here if it has any.
    if (w->real->pMethods != nullptr) w->real->pMethods->xClose(w->real);
    return rc;
  }
  w->base.pMethods = &kWalMethods;
  return SQLITE_OK;
}

}  // namespace

const char* BufferedWalVfs() {
  static const char* name = [] {
    static sqlite3_vfs vfs;
    real_vfs = sqlite3_vfs_find(nullptr);
    vfs = *real_vfs;
    vfs.zName = "convault-buffered-wal";
    vfs.szOsFile = static_cast<int>(sizeof(WalFile)) + real_vfs->szOsFile;
    vfs.xOpen = Open;
    vfs.pNext = nullptr;
    sqlite3_vfs_register(&vfs, 0);
    return vfs.zName;
  }();
  return name;
}

}  // namespace convault::sqlite
