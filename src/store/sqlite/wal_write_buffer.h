// A SQLite VFS that writes each commit to the write-ahead log in one call.
#pragma once

namespace convault::sqlite {

// The name of a VFS over the platform's default one (registered on the first
// call; safe from any thread) that changes one thing: appends to a
// write-ahead log are gathered in memory and written with one pwrite when
// the frame that ends a transaction is complete, instead of two calls per
// page (SQLite writes each frame's 24-byte header and its page separately).
// Everything else, the database file included, is the default VFS's.
//
// Why it is safe: other connections read only frames that a commit has
// published in the shared WAL index, which SQLite updates after writing the
// commit frame, and so after the flush; the writing connection reads back
// its own unpublished frames only through this file, which writes out what
// it holds first. A sync, truncation, size query, file control or close
// writes out first too, so durability is the default VFS's: nothing is
// acknowledged before the commit's fsync, and a crash before it loses only
// a transaction that was never acknowledged (SQLite ignores a log's
// incomplete tail on recovery). docs/decisions/0013-one-write-per-commit.md.
const char* BufferedWalVfs();

}  // namespace convault::sqlite
