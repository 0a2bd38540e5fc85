// One loop for both OSes, so a fix to renewal or delivery reaches Linux and Windows alike.
#include "agent/collection_loop.h"

#include <memory>
#include <utility>

#include <grpcpp/grpcpp.h>

#include "absl/time/clock.h"
#include "platform/probe.h"
#include "spdlog/spdlog.h"

namespace mamori::agent {

absl::Status RunCollectionLoop(const CollectorAddress& address,
                               const std::filesystem::path& data_dir, AgentCredentials credentials,
                               AgentState& state, const CollectionLoopOptions& options,
                               CycleWaiter& waiter) {
  const platform::ProbeEnvironment env;
  platform::ProbeRegistry probes = options.make_probes(env);
  spdlog::info("agent {} reporting to {} over mutual TLS", state.agent_id(), address.Target());
  while (true) {
    if (RenewalDue(credentials.certificate, absl::Now())) {
      absl::StatusOr<AgentCredentials> renewed =
          RenewCertificate(address, data_dir, credentials, options.renewal_timeout);
      if (renewed.ok()) {
        spdlog::info("renewed the certificate; valid until {}",
                     absl::FormatTime(renewed->certificate.NotAfter()));
        credentials = *std::move(renewed);
      } else {
        // The current certificate still works until it expires; the next cycle tries again.
        spdlog::warn("certificate renewal failed: {}", renewed.status().ToString());
      }
    }
    const std::shared_ptr<grpc::Channel> channel =
        CollectorChannel(address, credentials.ca_pem, &credentials);
    absl::StatusOr<DeliveredSnapshot> delivered =
        CollectAndDeliver(state, probes, env, channel, options.delivery_timeout);
    if (delivered.ok()) {
      if (options.on_delivered) {
        options.on_delivered(*delivered);
      }
    } else {
      spdlog::error("delivery failed: {}", delivered.status().ToString());
      if (options.once) {
        return delivered.status();
      }
    }
    if (options.once || !waiter.WaitForNextCycle(options.interval)) {
      break;
    }
  }
  spdlog::info("agent stopped");
  return absl::OkStatus();
}

}  // namespace mamori::agent
