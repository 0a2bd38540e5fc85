// The agent streams open right now, with the certificate each was authorized by, so that a
// revocation made by another process (`mamori-collector host remove`) can close them.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "absl/base/thread_annotations.h"
#include "absl/functional/function_ref.h"
#include "absl/synchronization/mutex.h"

namespace mamori::collector {

class LiveAgentStreams {
 public:
  struct Stream {
    std::uint64_t id;
    std::string agent_id;
    std::string certificate_serial;
  };

  // `context` must stay valid until Remove(id) returns (the reactor removes itself in OnDone).
  // A second stream of the same agent replaces the first: the older ones are cancelled (an agent
  // that lost its connection without the collector noticing, e.g. a PC cut from power, comes back
  // on a new stream while its old one still looks open here).
  std::uint64_t Add(std::string agent_id, std::string certificate_serial,
                    grpc::CallbackServerContext* context);
  // How many older streams Add has cancelled since start.
  std::uint64_t replaced_streams() const;
  void Remove(std::uint64_t id);

  std::vector<Stream> Snapshot() const;
  // Cancels the streams `revoked` picks; their agents see the stream end at once. The predicate
  // runs without the lock held (it may query the database). Returns how many were cancelled.
  int CancelIf(absl::FunctionRef<bool(const Stream&)> revoked);

 private:
  struct Entry {
    Stream stream;
    grpc::CallbackServerContext* context;
  };
  mutable absl::Mutex mu_;
  std::uint64_t next_id_ ABSL_GUARDED_BY(mu_) = 1;
  std::uint64_t replaced_ ABSL_GUARDED_BY(mu_) = 0;
  std::map<std::uint64_t, Entry> streams_ ABSL_GUARDED_BY(mu_);
};

}  // namespace mamori::collector
