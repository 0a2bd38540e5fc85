#include "collector/server/collector_server.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "collector/ingest/validate.h"

namespace mamori::collector {

CollectorServer::CollectorServer(AgentRecordStore& store, ListenAddress address)
    : address_(std::move(address)), committer_(store), service_(committer_) {}

absl::StatusOr<std::unique_ptr<CollectorServer>> CollectorServer::Start(absl::string_view listen,
                                                                        AgentRecordStore& store) {
  absl::StatusOr<ListenAddress> address = ParseLoopbackListenAddress(listen);
  if (!address.ok()) {
    return address.status();
  }
  std::unique_ptr<CollectorServer> server(new CollectorServer(store, *address));

  grpc::ServerBuilder builder;
  int bound_port = 0;
  // Plaintext on loopback only until the security work brings TLS (ParseLoopbackListenAddress).
  builder.AddListeningPort(address->ToString(), grpc::InsecureServerCredentials(), &bound_port);
  // gRPC sets SO_REUSEPORT by default, which would let a second collector silently share the port
  // (and split the agents between two databases). A busy port must be an error.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  builder.RegisterService(&server->service_);
  // gRPC refuses anything larger before it reaches the gateway; validation repeats the bound.
  builder.SetMaxReceiveMessageSize(static_cast<int>(kMaxAgentMessageBytes));
  server->server_ = builder.BuildAndStart();
  if (server->server_ == nullptr || bound_port == 0) {
    server->committer_.Shutdown();
    return absl::UnavailableError(
        absl::StrCat("could not listen on ", address->ToString(), " (is the port in use?)"));
  }
  server->address_.port = static_cast<std::uint16_t>(bound_port);
  return server;
}

CollectorServer::~CollectorServer() { Shutdown(absl::ZeroDuration()); }

void CollectorServer::Shutdown(absl::Duration grace) {
  if (shut_down_) {
    return;
  }
  shut_down_ = true;
  if (server_ != nullptr) {
    // Returns once every stream has finished; streams waiting on a commit finish after the writer
    // answers them, which is why the committer stops only afterwards.
    server_->Shutdown(absl::ToChronoTime(absl::Now() + grace));
  }
  committer_.Shutdown();
}

}  // namespace mamori::collector
