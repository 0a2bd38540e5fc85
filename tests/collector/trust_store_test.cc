#include "collector/storage/trust_store.h"

#include <atomic>
#include <thread>

#include "absl/strings/match.h"
#include "absl/time/clock.h"
#include "collector/storage/agent_record_store.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/collector/temp_dir.h"

namespace mamori::collector {
namespace {

using ::mamori::collector::testing::TempDir;
using ::testing::HasSubstr;

class TrustStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { store_ = Open(); }

  std::unique_ptr<TrustStore> Open() {
    absl::StatusOr<std::unique_ptr<TrustStore>> store =
        TrustStore::Open(dir_.path() / "mamori.db", Database::OpenMode::kCreateIfMissing);
    EXPECT_TRUE(store.ok()) << store.status();
    return *std::move(store);
  }

  static AgentCertificateRecord Certificate(const std::string& serial, const std::string& agent_id,
                                            absl::Time now) {
    return {serial, agent_id, now, now + absl::Hours(24 * 90), now, std::nullopt, std::nullopt};
  }

  absl::Status Enroll(TrustStore& store, const std::string& token, const std::string& agent_id,
                      absl::Time now) {
    return store.EnrollAgent(token, {agent_id, "host-" + agent_id, "0.1.0", "machine"},
                             Certificate("serial-" + agent_id, agent_id, now), now);
  }

  std::int64_t UsesLeft(const std::string& token_id) {
    absl::StatusOr<std::vector<EnrollmentTokenInfo>> tokens = store_->ListTokens();
    EXPECT_TRUE(tokens.ok()) << tokens.status();
    for (const EnrollmentTokenInfo& info : *tokens) {
      if (info.token_id == token_id) {
        return info.uses_left;
      }
    }
    return -1;
  }

  TempDir dir_;
  std::unique_ptr<TrustStore> store_;
  const absl::Time now_ = absl::FromUnixSeconds(1'750'000'000);
};

TEST_F(TrustStoreTest, CreatesRandomPrefixedTokensAndListsThemWithoutTheSecret) {
  absl::StatusOr<NewEnrollmentToken> a = store_->CreateToken("reception", absl::Hours(24), 3, now_);
  absl::StatusOr<NewEnrollmentToken> b = store_->CreateToken("exam room", absl::Hours(1), 1, now_);
  ASSERT_TRUE(a.ok()) << a.status();
  ASSERT_TRUE(b.ok());
  EXPECT_TRUE(absl::StartsWith(a->token, "mmr1."));
  EXPECT_EQ(a->token.size(), 5u + 32u) << "160 bits in base32";
  EXPECT_NE(a->token, b->token);
  EXPECT_EQ(a->expires_at, now_ + absl::Hours(24));

  absl::StatusOr<std::vector<EnrollmentTokenInfo>> tokens = store_->ListTokens();
  ASSERT_TRUE(tokens.ok());
  ASSERT_EQ(tokens->size(), 2u);
  EXPECT_EQ(UsesLeft(a->token_id), 3);
  EXPECT_EQ(UsesLeft(b->token_id), 1);
}

TEST_F(TrustStoreTest, RefusesOutOfRangeUsesAndTtl) {
  EXPECT_EQ(store_->CreateToken("x", absl::Hours(1), 0, now_).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->CreateToken("x", absl::Seconds(5), 1, now_).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->CreateToken("x", absl::Hours(24 * 365), 1, now_).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(TrustStoreTest, EnrollmentTakesOneUseAndRecordsTheAgentAndCertificate) {
  absl::StatusOr<NewEnrollmentToken> token = store_->CreateToken("demo", absl::Hours(1), 2, now_);
  ASSERT_TRUE(Enroll(*store_, token->token, "agent-a", now_).ok());
  EXPECT_EQ(UsesLeft(token->token_id), 1);
  absl::StatusOr<std::optional<AgentCertificateRecord>> cert =
      store_->FindCertificate("serial-agent-a");
  ASSERT_TRUE(cert.ok()) << cert.status();
  ASSERT_TRUE(cert->has_value());
  EXPECT_EQ((*cert)->agent_id, "agent-a");
  EXPECT_FALSE((*cert)->revoked_at.has_value());
  EXPECT_EQ((*cert)->not_after, now_ + absl::Hours(24 * 90));
  EXPECT_FALSE(store_->FindCertificate("nope")->has_value());
}

TEST_F(TrustStoreTest, RefusesWrongExpiredRevokedAndUsedUpTokensWithTheReasonAndChangesNothing) {
  absl::StatusOr<NewEnrollmentToken> one = store_->CreateToken("one", absl::Hours(1), 1, now_);
  ASSERT_TRUE(Enroll(*store_, one->token, "agent-a", now_).ok());

  absl::Status wrong = Enroll(*store_, "mmr1.wrong", "agent-b", now_);
  EXPECT_EQ(wrong.code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(wrong.message(), "no such enrollment token");

  absl::Status used_up = Enroll(*store_, one->token, "agent-b", now_);
  EXPECT_EQ(used_up.code(), absl::StatusCode::kUnauthenticated);
  EXPECT_THAT(used_up.message(), HasSubstr("is used up"));

  absl::StatusOr<NewEnrollmentToken> short_lived =
      store_->CreateToken("short", absl::Minutes(5), 1, now_);
  absl::Status expired = Enroll(*store_, short_lived->token, "agent-b", now_ + absl::Minutes(5));
  EXPECT_THAT(expired.message(), HasSubstr("has expired"));
  EXPECT_EQ(UsesLeft(short_lived->token_id), 1);

  absl::StatusOr<NewEnrollmentToken> revoked = store_->CreateToken("rev", absl::Hours(1), 5, now_);
  ASSERT_TRUE(store_->RevokeToken(revoked->token_id, now_).ok());
  absl::Status refused = Enroll(*store_, revoked->token, "agent-b", now_);
  EXPECT_THAT(refused.message(), HasSubstr("is revoked"));
  EXPECT_EQ(UsesLeft(revoked->token_id), 5);

  EXPECT_FALSE(store_->FindCertificate("serial-agent-b")->has_value());
  EXPECT_EQ(store_->RevokeToken("missing", now_).code(), absl::StatusCode::kNotFound);
}

TEST_F(TrustStoreTest, TwoAgentsRacingForTheLastUseExactlyOneWins) {
  absl::StatusOr<NewEnrollmentToken> token = store_->CreateToken("race", absl::Hours(1), 1, now_);
  for (int round = 0; round < 5; ++round) {
    absl::StatusOr<NewEnrollmentToken> fresh = store_->CreateToken("race", absl::Hours(1), 1, now_);
    std::unique_ptr<TrustStore> first = Open();
    std::unique_ptr<TrustStore> second = Open();
    std::atomic<int> winners{0};
    std::atomic<int> used_up{0};
    auto race = [&](TrustStore* store, const std::string& agent_id) {
      absl::Status status = Enroll(*store, fresh->token, agent_id, now_);
      if (status.ok()) {
        ++winners;
      } else if (absl::StrContains(status.message(), "used up")) {
        ++used_up;
      }
    };
    std::thread a(race, first.get(), "a" + std::to_string(round));
    std::thread b(race, second.get(), "b" + std::to_string(round));
    a.join();
    b.join();
    EXPECT_EQ(winners.load(), 1);
    EXPECT_EQ(used_up.load(), 1);
    EXPECT_EQ(UsesLeft(fresh->token_id), 0);
  }
}

TEST_F(TrustStoreTest, RemoveHostRevokesCertificatesAndBumpsTheGeneration) {
  absl::StatusOr<NewEnrollmentToken> token = store_->CreateToken("x", absl::Hours(1), 2, now_);
  ASSERT_TRUE(Enroll(*store_, token->token, "agent-a", now_).ok());
  ASSERT_TRUE(store_->RecordCertificate(Certificate("renewed-a", "agent-a", now_)).ok());
  const std::int64_t before = *store_->RevocationGeneration();

  absl::StatusOr<RemovedHost> removed = store_->RemoveHost("host-agent-a", now_);
  ASSERT_TRUE(removed.ok()) << removed.status();
  EXPECT_EQ(removed->agent_id, "agent-a");
  EXPECT_EQ(removed->certificates_revoked, 2);
  EXPECT_EQ(*store_->RevocationGeneration(), before + 1);
  std::optional<AgentCertificateRecord> cert = *store_->FindCertificate("renewed-a");
  ASSERT_TRUE(cert.has_value());
  EXPECT_TRUE(cert->revoked_at.has_value());
  EXPECT_TRUE(cert->agent_removed_at.has_value());

  EXPECT_EQ(store_->RemoveHost("agent-a", now_).status().code(), absl::StatusCode::kNotFound);
}

TEST_F(TrustStoreTest, RemoveByAmbiguousHostNameAsksForTheAgentId) {
  absl::StatusOr<NewEnrollmentToken> token = store_->CreateToken("x", absl::Hours(1), 2, now_);
  ASSERT_TRUE(store_
                  ->EnrollAgent(token->token, {"id-1", "same", "0.1.0", ""},
                                Certificate("s1", "id-1", now_), now_)
                  .ok());
  ASSERT_TRUE(store_
                  ->EnrollAgent(token->token, {"id-2", "same", "0.1.0", ""},
                                Certificate("s2", "id-2", now_), now_)
                  .ok());
  absl::StatusOr<RemovedHost> removed = store_->RemoveHost("same", now_);
  EXPECT_EQ(removed.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(removed.status().message(), HasSubstr("id-1, id-2"));
  EXPECT_TRUE(store_->RemoveHost("id-2", now_).ok());
}

}  // namespace
}  // namespace mamori::collector
