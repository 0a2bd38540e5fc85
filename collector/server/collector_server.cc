#include "collector/server/collector_server.h"

#include <grpcpp/security/server_credentials.h>
#include <grpcpp/security/tls_certificate_provider.h>
#include <grpcpp/security/tls_credentials_options.h>
#include <malloc.h>

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "collector/ingest/validate.h"
#include "proto/connect_stream.h"
#include "spdlog/spdlog.h"

namespace mamori::collector {
namespace {

// glibc gives memory back to the system whenever the free top of a heap exceeds 128 kB, and its
// per-thread heaps do so with madvise, which on a VM interrupts every core (a TLB shootdown). The
// writer allocates and frees that much for every batch: in an A/B run of the heartbeat backlog
// the collector's CPU per heartbeat went from 0.88 to 0.59 ms with this (docs/performance.md).
// Keeping up to 8 MiB free per heap costs little memory next to the streams'.
void TuneAllocatorForServing() {
  constexpr int kTrimThresholdBytes = 8 << 20;
  (void)mallopt(M_TRIM_THRESHOLD, kTrimThresholdBytes);
}

// TLS with gRPC's TlsServerCredentials. gRPC 1.51 offers no C++ setter for the protocol range; its
// core defaults are TLS 1.2 minimum and TLS 1.3 maximum, with its own list of AEAD-only ECDHE
// suites, which is what we want. Client certificates are requested and verified against the CA when
// presented (REQUEST_..._AND_VERIFY): Enroll must work without one, and Authorizer refuses every
// other RPC that arrives without one.
std::shared_ptr<grpc::ServerCredentials> ServerTlsCredentials(const CollectorIdentity& identity) {
  std::vector<grpc::experimental::IdentityKeyCertPair> pairs = {
      {identity.server_key_pem, identity.ServerChainPem()}};
  auto provider = std::make_shared<grpc::experimental::StaticDataCertificateProvider>(
      identity.ca.certificate().Pem(), pairs);
  grpc::experimental::TlsServerCredentialsOptions options(provider);
  options.watch_root_certs();
  options.watch_identity_key_cert_pairs();
  options.set_cert_request_type(GRPC_SSL_REQUEST_CLIENT_CERTIFICATE_AND_VERIFY);
  return grpc::experimental::TlsServerCredentials(options);
}

}  // namespace

CollectorServer::CollectorServer(AgentRecordStore& store, TrustStore& trust,
                                 const CollectorIdentity& identity, ListenAddress address,
                                 const PeopleServices* people)
    : address_(std::move(address)),
      trust_(trust),
      committer_(store),
      authorizer_(people != nullptr ? Authorizer(trust, people->users, people->audit)
                                    : Authorizer(trust)),
      enrollment_(trust, identity.ca, people != nullptr ? &people->audit : nullptr),
      service_(committer_, authorizer_, enrollment_, streams_) {
  if (people != nullptr) {
    admin_service_ = std::make_unique<CollectorAdminService>(
        authorizer_, AdminStores{trust, people->audit, people->knowledge, people->policy,
                                 people->org, people->reports});
  }
}

absl::StatusOr<std::unique_ptr<CollectorServer>> CollectorServer::Start(
    absl::string_view listen, AgentRecordStore& store, TrustStore& trust,
    const CollectorIdentity& identity, const PeopleServices* people,
    const KnowledgeServices* knowledge) {
  absl::StatusOr<ListenAddress> address = ParseListenAddress(listen);
  if (!address.ok()) {
    return address.status();
  }
  std::unique_ptr<CollectorServer> server(
      new CollectorServer(store, trust, identity, *address, people));

  TuneAllocatorForServing();
  grpc::ServerBuilder builder;
  int bound_port = 0;
  builder.AddListeningPort(address->ToString(), ServerTlsCredentials(identity), &bound_port);
  // gRPC sets SO_REUSEPORT by default, which would let a second collector silently share the port
  // (and split the agents between two databases). A busy port must be an error.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  // Keepalive as the agents expect it (proto/connect_stream.h, docs/wire-format.md).
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS,
                             wire::kCollectorMinRecvPingIntervalWithoutDataMs);
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MAX_PING_STRIKES, wire::kCollectorMaxPingStrikes);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS,
                             wire::kCollectorKeepalivePermitWithoutCalls);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIME_MS, wire::kCollectorKeepaliveTimeMs);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, wire::kCollectorKeepaliveTimeoutMs);
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MAX_PINGS_WITHOUT_DATA,
                             wire::kCollectorMaxPingsWithoutData);
  builder.RegisterService(&server->service_);
  if (server->admin_service_ != nullptr) {
    builder.RegisterService(server->admin_service_.get());
  }
  // gRPC refuses anything larger before it reaches the gateway; validation repeats the bound.
  builder.SetMaxReceiveMessageSize(static_cast<int>(kMaxAgentMessageBytes));
  server->server_ = builder.BuildAndStart();
  if (server->server_ == nullptr || bound_port == 0) {
    server->committer_.Shutdown();
    return absl::UnavailableError(
        absl::StrCat("could not listen on ", address->ToString(), " (is the port in use?)"));
  }
  server->address_.port = static_cast<std::uint16_t>(bound_port);
  server->revocation_watcher_ = std::thread([raw = server.get()] { raw->WatchRevocations(); });
  if (knowledge != nullptr) {
    server->knowledge_.emplace(*knowledge);
    if (knowledge->policy_file.has_value()) {
      server->policy_watcher_.emplace(*knowledge->policy_file, knowledge->policy.Current()->sha256);
    }
    // Findings evaluated under another policy (the file was edited while the collector was down)
    // are re-evaluated before the first sweep.
    server->SubmitReevaluation(/*only_if_policy_changed=*/true);
    server->maintenance_ = std::thread([raw = server.get()] { raw->RunMaintenance(); });
  }
  return server;
}

void CollectorServer::SubmitSweep() {
  if (sweep_pending_.exchange(true)) {
    return;  // the previous sweep has not run yet: the writer is busy, do not pile up more
  }
  KnowledgeWriter& writer = knowledge_->writer;
  committer_.SubmitTask(
      [&writer](AgentRecordStore& store) {
        return store.RunInTransaction(
            [&writer](Database& db) { return writer.Sweep(db, absl::Now()); });
      },
      [this](absl::Status status) {
        sweep_pending_ = false;
        if (!status.ok() && !absl::IsUnavailable(status)) {
          spdlog::error("contact sweep failed: {}", std::string(status.message()));
        }
      });
}

void CollectorServer::SubmitReevaluation(bool only_if_policy_changed) {
  KnowledgeWriter& writer = knowledge_->writer;
  committer_.SubmitTask(
      [&writer, only_if_policy_changed](AgentRecordStore& store) {
        return store.RunInTransaction([&](Database& db) -> absl::Status {
          const absl::Time now = absl::Now();
          if (!only_if_policy_changed) {
            return writer.ReevaluateAll(db, now);
          }
          absl::StatusOr<bool> ran = writer.ReevaluateIfPolicyChanged(db, now);
          if (ran.ok() && *ran) {
            spdlog::info(
                "the policy differs from the one the findings were evaluated with: "
                "re-evaluated every host");
          }
          return ran.status();
        });
      },
      [](absl::Status status) {
        if (status.ok()) {
          return;
        }
        if (absl::IsUnavailable(status)) {
          spdlog::warn("re-evaluation not run: {}; it runs at the next start",
                       std::string(status.message()));
        } else {
          spdlog::error("re-evaluation failed: {}", std::string(status.message()));
        }
      });
}

void CollectorServer::RunMaintenance() {
  absl::Time next_sweep = absl::Now() + knowledge_->sweep_interval;
  absl::Time next_poll = absl::Now() + knowledge_->policy_poll_interval;
  while (true) {
    const absl::Time wake =
        policy_watcher_.has_value() ? std::min(next_sweep, next_poll) : next_sweep;
    {
      absl::MutexLock lock(&mu_);
      if (mu_.AwaitWithDeadline(absl::Condition(&stopping_), wake)) {
        return;
      }
    }
    const absl::Time now = absl::Now();
    if (policy_watcher_.has_value() && now >= next_poll) {
      next_poll = now + knowledge_->policy_poll_interval;
      if (std::optional<absl::StatusOr<LoadedPolicy>> change = policy_watcher_->Poll()) {
        if (change->ok()) {
          spdlog::info("policy {} changed (sha256 {}): re-evaluating every host", (*change)->source,
                       (*change)->sha256);
          knowledge_->policy.Replace(**std::move(change));
          SubmitReevaluation(/*only_if_policy_changed=*/false);
        } else {
          spdlog::error("the edited policy file is refused; the previous policy stays in force:");
          for (absl::string_view line : absl::StrSplit(change->status().message(), '\n')) {
            spdlog::error("  {}", std::string(line));
          }
        }
      }
    }
    if (now >= next_sweep) {
      next_sweep = now + knowledge_->sweep_interval;
      SubmitSweep();
    }
  }
}

void CollectorServer::WatchRevocations() {
  absl::StatusOr<std::int64_t> seen = trust_.RevocationGeneration();
  while (true) {
    {
      absl::MutexLock lock(&mu_);
      if (mu_.AwaitWithTimeout(absl::Condition(&stopping_), kRevocationPollInterval)) {
        return;
      }
    }
    absl::StatusOr<std::int64_t> now = trust_.RevocationGeneration();
    if (!now.ok()) {
      spdlog::warn("cannot read the revocation generation: {}",
                   std::string(now.status().message()));
      continue;
    }
    if (seen.ok() && *now == *seen) {
      continue;
    }
    seen = now;
    const int cancelled = streams_.CancelIf([this](const LiveAgentStreams::Stream& stream) {
      absl::StatusOr<std::optional<AgentCertificateRecord>> record =
          trust_.FindCertificate(stream.certificate_serial);
      return record.ok() && (!record->has_value() || (*record)->revoked_at.has_value() ||
                             (*record)->agent_removed_at.has_value());
    });
    if (cancelled > 0) {
      spdlog::info("closed {} stream(s) of revoked agents", cancelled);
    }
  }
}

CollectorServer::~CollectorServer() { Shutdown(absl::ZeroDuration()); }

void CollectorServer::Shutdown(absl::Duration grace) {
  if (shut_down_) {
    return;
  }
  shut_down_ = true;
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (revocation_watcher_.joinable()) {
    revocation_watcher_.join();
  }
  if (maintenance_.joinable()) {
    maintenance_.join();
  }
  if (server_ != nullptr) {
    // Returns once every stream has finished; streams waiting on a commit finish after the writer
    // answers them, which is why the committer stops only afterwards. Maintenance tasks still
    // queued then are answered UNAVAILABLE (a sweep is redone, a re-evaluation runs at the next
    // start since policy_state still names the old policy).
    server_->Shutdown(absl::ToChronoTime(absl::Now() + grace));
  }
  committer_.Shutdown();
}

}  // namespace mamori::collector
