// What identifying an agent costs the collector at each Connect (Authorizer::IdentifyCertificate,
// the SQLite lookup of the certificate included): the first time a certificate is seen (its PEM
// parsed by OpenSSL) and at each reconnect of the same agent (its fields remembered). The
// reconnect storm after a collector restart is 10,000 of the first kind; the day's reconnects are
// of the second. Figures: docs/performance.md.
#include <benchmark/benchmark.h>
#include <stdlib.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "absl/time/clock.h"
#include "collector/pki/certificate_authority.h"
#include "collector/pki/x509.h"
#include "collector/server/authorization.h"
#include "collector/storage/trust_store.h"

namespace mamori::collector {
namespace {

template <typename T>
T OrDie(absl::StatusOr<T> value) {
  if (!value.ok()) {
    std::fprintf(stderr, "setup failed: %s\n", std::string(value.status().message()).c_str());
    std::abort();
  }
  return *std::move(value);
}

// A trust store with one enrolled agent, in a scratch directory removed at exit.
struct OneAgent {
  OneAgent() {
    std::string pattern = (std::filesystem::temp_directory_path() / "mamori-bench-XXXXXX").string();
    dir = mkdtemp(pattern.data());
    trust = OrDie(TrustStore::Open(dir / "mamori.db", Database::OpenMode::kCreateIfMissing));
    const absl::Time now = absl::Now();
    pki::CertificateAuthority ca = OrDie(pki::CertificateAuthority::Create("bench CA", now));
    pki::PrivateKey key = OrDie(pki::PrivateKey::GenerateP256());
    pki::CertificateRequest csr = OrDie(pki::CertificateRequest::ParseAndValidate(
        OrDie(pki::CertificateRequest::Create(key, "agent")).Der()));
    pki::Certificate cert = OrDie(ca.IssueClientCertificate(
        csr, {pki::kAgentRole, "agent-1"}, now - absl::Minutes(1), now + absl::Hours(24)));
    NewEnrollmentToken token = OrDie(trust->CreateToken("bench", absl::Hours(1), 1, now));
    const absl::Status enrolled =
        trust->EnrollAgent(token.token, {"agent-1", "reception-01", "0.1.0", ""},
                           {cert.SerialHex(), "agent-1", cert.NotBefore(), cert.NotAfter(), now,
                            std::nullopt, std::nullopt},
                           now);
    if (!enrolled.ok()) {
      std::abort();
    }
    pem = cert.Pem();
  }
  ~OneAgent() {
    trust.reset();
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
  }

  std::filesystem::path dir;
  std::unique_ptr<TrustStore> trust;
  std::string pem;
};

void BM_IdentifyFirstConnect(benchmark::State& state) {
  OneAgent agent;
  const absl::Time now = absl::Now();
  for (auto _ : state) {
    Authorizer authorizer(*agent.trust);  // remembers nothing yet
    benchmark::DoNotOptimize(authorizer.IdentifyCertificate(agent.pem, now));
  }
}
BENCHMARK(BM_IdentifyFirstConnect);

void BM_IdentifyReconnect(benchmark::State& state) {
  OneAgent agent;
  const absl::Time now = absl::Now();
  Authorizer authorizer(*agent.trust);
  if (!authorizer.IdentifyCertificate(agent.pem, now).ok()) {
    state.SkipWithError("the agent is not identified");
    return;
  }
  for (auto _ : state) {
    benchmark::DoNotOptimize(authorizer.IdentifyCertificate(agent.pem, now));
  }
}
BENCHMARK(BM_IdentifyReconnect);

}  // namespace
}  // namespace mamori::collector
