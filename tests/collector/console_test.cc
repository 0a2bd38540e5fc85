// The web console over real HTTPS on loopback (docs/console.md): an in-process collector with a
// real SQLite data directory, the console server on a free port, and a Boost.Beast TLS client that
// trusts only the collector's CA. Time is injected, so idle expiry and lockouts need no waiting.
#include "collector/console/console_server.h"

#include <openssl/sha.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/synchronization/mutex.h"
#include "collector/knowledge/knowledge_reader.h"
#include "collector/knowledge/policy_source.h"
#include "collector/people/console_password.h"
#include "collector/pki/x509.h"
#include "collector/server/collector_server.h"
#include "collector/storage/audit_log.h"
#include "collector/storage/schema.h"
#include "collector/storage/user_store.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/collector/temp_dir.h"

namespace mamori::collector {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;
using ::mamori::collector::testing::TempDir;
using ::testing::HasSubstr;

constexpr ScryptCost kTestCost{1u << 10, 8, 1};
constexpr char kAdminPassword[] = "correct horse battery staple";
constexpr char kVendorPassword[] = "ベンダーの長いパスワードです";

struct Answer {
  int status = 0;
  std::map<std::string, std::string> headers;  // lowercase names
  std::string body;

  std::string Header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
  nlohmann::json Json() const { return nlohmann::json::parse(body, nullptr, false); }
};

// A logged-in browser: its cookie and CSRF token.
struct Browser {
  std::string cookie;
  std::string csrf;
};

class ConsoleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<AgentRecordStore> store =
        AgentRecordStore::Open(DatabasePath(), Database::OpenMode::kCreateIfMissing);
    ASSERT_TRUE(store.ok()) << store.status();
    store_.emplace(*std::move(store));
    absl::StatusOr<KnowledgeReader> knowledge = KnowledgeReader::Open(DatabasePath());
    ASSERT_TRUE(knowledge.ok()) << knowledge.status();
    knowledge_.emplace(*std::move(knowledge));
    policy_.emplace(LoadedPolicy{rules::Policy{}, "", "(defaults)"});
    trust_ = *TrustStore::Open(DatabasePath(), Database::OpenMode::kExistingOnly);
    users_ = *UserStore::Open(DatabasePath(), Database::OpenMode::kExistingOnly);
    audit_ = *AuditLog::Open(DatabasePath(), Database::OpenMode::kExistingOnly);
    absl::StatusOr<CollectorIdentity> identity =
        LoadOrIssueCollectorIdentity(dir_.path(), pki::DefaultServerNames(), absl::Now());
    ASSERT_TRUE(identity.ok()) << identity.status();
    identity_.emplace(*std::move(identity));
    org_.emplace(*OrgRegisterStore::Open(DatabasePath()));
    report_db_.emplace(
        *Database::Open(DatabasePath(), Database::OpenMode::kExistingOnly, CollectorSchema()));
    reports_.emplace(*report_db_, *knowledge_, *org_, ReportOrigin{"clinic-server", "test"});
    people_.emplace(PeopleServices{*users_, *audit_, *knowledge_, *policy_, *org_, *reports_});
    absl::StatusOr<std::unique_ptr<CollectorServer>> server =
        CollectorServer::Start("127.0.0.1:0", *store_, *trust_, *identity_, &*people_);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);

    AddPerson("admin-tanaka", UserRole::kAdmin, kAdminPassword);
    AddPerson("vendor-sato", UserRole::kVendor, kVendorPassword);

    ConsoleServerOptions options;
    options.listen = "127.0.0.1:0";
    options.api.clock = [this] { return Now(); };
    options.api.unknown_user_cost = kTestCost;
    absl::StatusOr<std::unique_ptr<ConsoleServer>> console =
        ConsoleServer::Start(options, *server_->admin_service(), *users_, *audit_, *identity_);
    ASSERT_TRUE(console.ok()) << console.status();
    console_ = *std::move(console);
  }

  void TearDown() override {
    if (console_ != nullptr) {
      console_->Stop();
    }
    if (server_ != nullptr) {
      server_->Shutdown(absl::Seconds(1));
    }
  }

  void AddPerson(const std::string& name, UserRole role, const std::string& password) {
    absl::StatusOr<std::string> hash = HashConsolePassword(password, kTestCost);
    ASSERT_TRUE(hash.ok());
    ASSERT_TRUE(users_->AddConsoleUser(name, role, *hash, absl::Now()).ok());
  }

  absl::Time Now() {
    absl::MutexLock lock(&clock_mu_);
    return absl::Now() + skew_;
  }
  void Advance(absl::Duration duration) {
    absl::MutexLock lock(&clock_mu_);
    skew_ += duration;
  }

  std::filesystem::path DatabasePath() const { return dir_.path() / "mamori.db"; }

  // One request on a fresh TLS connection that verifies the server against the collector's CA.
  Answer Send(http::verb verb, const std::string& target, const std::string& body = "",
              const std::vector<std::pair<std::string, std::string>>& headers = {},
              std::optional<std::size_t> declared_length = std::nullopt) {
    net::io_context ioc;
    ssl::context tls(ssl::context::tls_client);
    const std::string ca = identity_->ca.certificate().Pem();
    tls.add_certificate_authority(net::buffer(ca));
    tls.set_verify_mode(ssl::verify_peer);
    beast::ssl_stream<beast::tcp_stream> stream(ioc, tls);
    stream.set_verify_callback(ssl::host_name_verification("localhost"));
    beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(30));
    beast::get_lowest_layer(stream).connect(
        tcp::endpoint(net::ip::make_address("127.0.0.1"), console_->address().port));
    stream.handshake(ssl::stream_base::client);
    if (declared_length.has_value()) {
      // Headers only, announcing a body the server must refuse before reading it.
      http::request<http::empty_body> request{verb, target, 11};
      request.set(http::field::host, "localhost");
      request.set(http::field::content_type, "application/json");
      request.set(http::field::content_length, std::to_string(*declared_length));
      for (const auto& [name, value] : headers) {
        request.set(name, value);
      }
      http::write(stream, request);
    } else {
      http::request<http::string_body> request{verb, target, 11};
      request.set(http::field::host, "localhost");
      if (!body.empty()) {
        request.set(http::field::content_type, "application/json");
      }
      for (const auto& [name, value] : headers) {
        request.set(name, value);
      }
      request.body() = body;
      request.prepare_payload();
      http::write(stream, request);
    }
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(64 * 1024 * 1024);
    http::read(stream, buffer, parser);
    Answer answer;
    answer.status = static_cast<int>(parser.get().result_int());
    for (const auto& field : parser.get()) {
      answer.headers[absl::AsciiStrToLower(std::string(field.name_string()))] =
          std::string(field.value());
    }
    answer.body = parser.get().body();
    beast::error_code ignored;
    stream.shutdown(ignored);
    return answer;
  }

  Answer Login(const std::string& name, const std::string& password) {
    return Send(http::verb::post, "/api/login",
                nlohmann::json{{"name", name}, {"password", password}}.dump());
  }

  Browser LogIn(const std::string& name, const std::string& password) {
    const Answer answer = Login(name, password);
    EXPECT_EQ(answer.status, 200) << answer.body;
    Browser browser;
    const std::string set_cookie = answer.Header("set-cookie");
    const std::string prefix = std::string(kConsoleSessionCookie) + "=";
    if (absl::StartsWith(set_cookie, prefix)) {
      browser.cookie = set_cookie.substr(prefix.size(), set_cookie.find(';') - prefix.size());
    }
    browser.csrf = answer.Json().value("csrfToken", "");
    return browser;
  }

  Answer Call(const Browser& browser, const std::string& method, const std::string& body,
              std::optional<std::string> csrf = std::nullopt) {
    std::vector<std::pair<std::string, std::string>> headers = {
        {"Cookie", std::string(kConsoleSessionCookie) + "=" + browser.cookie}};
    const std::string token = csrf.value_or(browser.csrf);
    if (!token.empty()) {
      headers.push_back({"X-CSRF-Token", token});
    }
    return Send(http::verb::post, "/api/v1/" + method, body, headers);
  }

  std::int64_t Count(const std::string& sql) {
    absl::StatusOr<Database> db =
        Database::Open(DatabasePath(), Database::OpenMode::kExistingOnly, CollectorSchema());
    EXPECT_TRUE(db.ok());
    absl::StatusOr<Statement> query = db->Query(sql, {});
    EXPECT_TRUE(query.ok()) << query.status();
    EXPECT_TRUE(*query->Step());
    return query->ColumnInt64(0);
  }

  // Audit events of `action` whose detail names the console.
  std::vector<AuditEvent> AuditOf(const std::string& action) {
    std::vector<AuditEvent> found;
    absl::StatusOr<std::vector<AuditEvent>> events = audit_->List(std::nullopt, 10'000);
    EXPECT_TRUE(events.ok()) << events.status();
    for (const AuditEvent& event : *events) {
      if (event.entry.action == action && absl::StartsWith(event.entry.detail, "console: ")) {
        found.push_back(event);
      }
    }
    return found;
  }

  static void ExpectSecurityHeaders(const Answer& answer, const std::string& what) {
    EXPECT_EQ(answer.Header("content-security-policy"),
              "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
              "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
        << what;
    EXPECT_EQ(answer.Header("x-frame-options"), "DENY") << what;
    EXPECT_EQ(answer.Header("x-content-type-options"), "nosniff") << what;
    EXPECT_EQ(answer.Header("referrer-policy"), "no-referrer") << what;
    EXPECT_EQ(answer.Header("strict-transport-security"), "max-age=31536000") << what;
  }

  TempDir dir_;
  absl::Mutex clock_mu_;
  absl::Duration skew_ ABSL_GUARDED_BY(clock_mu_) = absl::ZeroDuration();
  std::optional<AgentRecordStore> store_;
  std::optional<KnowledgeReader> knowledge_;
  std::optional<PolicySource> policy_;
  std::unique_ptr<TrustStore> trust_;
  std::unique_ptr<UserStore> users_;
  std::unique_ptr<AuditLog> audit_;
  std::optional<CollectorIdentity> identity_;
  std::optional<OrgRegisterStore> org_;
  std::optional<Database> report_db_;
  std::optional<ReportBuilder> reports_;
  std::optional<PeopleServices> people_;
  std::unique_ptr<CollectorServer> server_;
  std::unique_ptr<ConsoleServer> console_;
};

TEST_F(ConsoleTest, LoginSetsASecureHttpOnlyStrictCookieAndReturnsTheSession) {
  const Answer answer = Login("admin-tanaka", kAdminPassword);
  ASSERT_EQ(answer.status, 200) << answer.body;
  const nlohmann::json body = answer.Json();
  EXPECT_EQ(body["name"], "admin-tanaka");
  EXPECT_EQ(body["role"], "admin");
  EXPECT_EQ(body["idleTimeoutSeconds"], 900);
  EXPECT_EQ(body["csrfToken"].get<std::string>().size(), 64u);
  const std::string cookie = answer.Header("set-cookie");
  EXPECT_TRUE(absl::StartsWith(cookie, "__Host-mamori_session=")) << cookie;
  EXPECT_THAT(cookie, HasSubstr("; Secure"));
  EXPECT_THAT(cookie, HasSubstr("; HttpOnly"));
  EXPECT_THAT(cookie, HasSubstr("; SameSite=Strict"));
  EXPECT_THAT(cookie, HasSubstr("; Path=/"));
  EXPECT_EQ(cookie.find(';') - std::string("__Host-mamori_session=").size(), 64u);
  EXPECT_EQ(answer.Header("cache-control"), "no-store");
  EXPECT_EQ(AuditOf("console.login").size(), 1u);
  EXPECT_EQ(AuditOf("console.login")[0].entry.outcome, AuditOutcome::kOk);

  const Browser browser = LogIn("vendor-sato", kVendorPassword);
  const Answer session =
      Send(http::verb::get, "/api/session", "",
           {{"Cookie", std::string(kConsoleSessionCookie) + "=" + browser.cookie}});
  ASSERT_EQ(session.status, 200);
  EXPECT_EQ(session.Json()["role"], "vendor");
  EXPECT_EQ(session.Json()["csrfToken"], browser.csrf);
}

TEST_F(ConsoleTest, WrongPasswordAndUnknownNameGetTheSameAnswer) {
  const Answer wrong = Login("admin-tanaka", "not the password at all");
  const Answer unknown = Login("nobody-here", "not the password at all");
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(unknown.status, 401);
  EXPECT_EQ(wrong.body, unknown.body);
  EXPECT_EQ(wrong.Json()["code"], "UNAUTHENTICATED");
  EXPECT_EQ(wrong.Header("set-cookie"), "");
  const std::vector<AuditEvent> refused = AuditOf("console.login");
  ASSERT_EQ(refused.size(), 2u);
  EXPECT_EQ(refused[0].entry.outcome, AuditOutcome::kRefused);
  EXPECT_EQ(refused[1].entry.actor, "nobody-here");
  EXPECT_THAT(refused[1].entry.detail, HasSubstr("127.0.0.1"));
  EXPECT_EQ(Login("admin-tanaka", "").status, 401);
  EXPECT_EQ(Send(http::verb::post, "/api/login", "{\"name\": \"admin-tanaka\"}").status, 400);
}

TEST_F(ConsoleTest, EveryAnswerCarriesTheSecurityHeaders) {
  const Browser admin = LogIn("admin-tanaka", kAdminPassword);
  const std::vector<std::pair<std::string, Answer>> answers = {
      {"/", Send(http::verb::get, "/")},
      {"/assets/app.css", Send(http::verb::get, "/assets/app.css")},
      {"missing asset", Send(http::verb::get, "/assets/nothing-here.js")},
      {"session 401", Send(http::verb::get, "/api/session")},
      {"login 401", Login("admin-tanaka", "wrong wrong wrong")},
      {"api 200", Call(admin, "ListHosts", "{}")},
      {"api 403", Call(admin, "ListHosts", "{}", "0000")},
      {"api 404", Call(admin, "NoSuchMethod", "{}")},
      {"413", Send(http::verb::post, "/api/login", "", {}, 70 * 1024)},
  };
  for (const auto& [what, answer] : answers) {
    ExpectSecurityHeaders(answer, what);
    if (what != "/" && what != "/assets/app.css" && what != "missing asset") {
      EXPECT_EQ(answer.Header("cache-control"), "no-store") << what;
    }
  }
}

TEST_F(ConsoleTest, StaticPageIsServedAndPathTraversalIsRefused) {
  const Answer index = Send(http::verb::get, "/");
  ASSERT_EQ(index.status, 200);
  EXPECT_EQ(index.Header("content-type"), "text/html; charset=utf-8");
  EXPECT_THAT(index.body, HasSubstr("<html"));
  const Answer css = Send(http::verb::get, "/assets/app.css");
  EXPECT_EQ(css.status, 200);
  EXPECT_EQ(css.Header("content-type"), "text/css; charset=utf-8");
  for (const std::string target : {"/assets/../mamori.db", "/assets/%2e%2e/mamori.db",
                                   "/assets/..%2fmamori.db", "/assets\\..\\x", "//etc/passwd"}) {
    const Answer refused = Send(http::verb::get, target);
    EXPECT_EQ(refused.status, 400) << target;
    EXPECT_THAT(refused.body, ::testing::Not(HasSubstr("SQLite"))) << target;
  }
  EXPECT_EQ(Send(http::verb::get, "/mamori.db").status, 404);
  EXPECT_EQ(Send(http::verb::post, "/").status, 405);
}

TEST_F(ConsoleTest, ApiRequiresASessionAndTheCsrfTokenAndChangesNothingWithout) {
  const std::string create = R"({"label": "受付PC", "uses": 2})";
  EXPECT_EQ(Send(http::verb::post, "/api/v1/CreateEnrollmentToken", create).status, 401);
  const Browser admin = LogIn("admin-tanaka", kAdminPassword);
  const Answer missing = Call(admin, "CreateEnrollmentToken", create, "");
  EXPECT_EQ(missing.status, 403);
  EXPECT_EQ(missing.Json()["code"], "PERMISSION_DENIED");
  const std::string wrong_token(64, 'a');
  EXPECT_EQ(Call(admin, "CreateEnrollmentToken", create, wrong_token).status, 403);
  EXPECT_EQ(Call(admin, "CreateEnrollmentToken", create, admin.csrf.substr(1)).status, 403);
  EXPECT_EQ(Count("SELECT count(*) FROM enrollment_tokens"), 0);

  const Answer created = Call(admin, "CreateEnrollmentToken", create);
  ASSERT_EQ(created.status, 200) << created.body;
  EXPECT_EQ(created.Json()["uses"], "2");  // int64 is a string in protobuf's JSON
  EXPECT_FALSE(created.Json()["token"].get<std::string>().empty());
  EXPECT_EQ(Count("SELECT count(*) FROM enrollment_tokens"), 1);
  const std::vector<AuditEvent> audited = AuditOf("CollectorAdmin/CreateEnrollmentToken");
  ASSERT_FALSE(audited.empty());
  EXPECT_EQ(audited.back().entry.actor, "admin-tanaka");
  EXPECT_EQ(audited.back().entry.outcome, AuditOutcome::kOk);
  EXPECT_THAT(audited.back().entry.detail, HasSubstr("label=受付PC"));
}

TEST_F(ConsoleTest, VendorIsRefusedTheClinicsChangesAndTheRefusalIsAudited) {
  const Browser vendor = LogIn("vendor-sato", kVendorPassword);
  for (const auto& [method, body] : std::vector<std::pair<std::string, std::string>>{
           {"RecordAccountReview",
            R"({"host": "pc-1", "account": "tanaka", "decision": "REVIEW_DECISION_KEEP"})"},
           {"CreateEnrollmentToken", "{}"},
           {"ListAuditEvents", "{}"}}) {
    const Answer refused = Call(vendor, method, body);
    EXPECT_EQ(refused.status, 403) << method << ": " << refused.body;
    EXPECT_EQ(refused.Json()["code"], "PERMISSION_DENIED") << method;
    const std::vector<AuditEvent> audited = AuditOf("CollectorAdmin/" + method);
    ASSERT_EQ(audited.size(), 1u) << method;
    EXPECT_EQ(audited[0].entry.outcome, AuditOutcome::kRefused);
    EXPECT_EQ(audited[0].entry.actor, "vendor-sato");
    EXPECT_EQ(audited[0].entry.role, "vendor");
  }
  EXPECT_EQ(Count("SELECT count(*) FROM enrollment_tokens"), 0);
  const Answer hosts = Call(vendor, "ListHosts", "{}");
  EXPECT_EQ(hosts.status, 200) << hosts.body;
  const Answer summary = Call(vendor, "GetClinicSummary", "");
  ASSERT_EQ(summary.status, 200) << summary.body;
  EXPECT_EQ(summary.Json()["trend"].size(), 90u);
  EXPECT_EQ(summary.Json()["hosts"], 0);  // defaults are printed
  EXPECT_EQ(summary.Json()["areas"].size(), 7u);

  const Browser admin = LogIn("admin-tanaka", kAdminPassword);
  const Answer review =
      Call(admin, "RecordAccountReview",
           R"({"host": "pc-1", "account": "tanaka", "decision": "REVIEW_DECISION_KEEP"})");
  EXPECT_EQ(review.status, 404) << review.body;  // allowed, but there is no such host
  EXPECT_EQ(review.Json()["code"], "NOT_FOUND");
}

TEST_F(ConsoleTest, RequestsThatAreNotWhatTheContractSaysAreRefused) {
  const Browser admin = LogIn("admin-tanaka", kAdminPassword);
  EXPECT_EQ(Call(admin, "NoSuchMethod", "{}").status, 404);
  EXPECT_EQ(Call(admin, "Connect", "{}").status, 404);  // the agents' RPC is not here
  EXPECT_EQ(Call(admin, "../ListHosts", "{}").status, 400);
  const Answer malformed = Call(admin, "ListHosts", "{not json");
  EXPECT_EQ(malformed.status, 400);
  EXPECT_EQ(malformed.Json()["code"], "INVALID_ARGUMENT");
  EXPECT_EQ(Call(admin, "ListHosts", R"({"unknownField": 1})").status, 400);
  EXPECT_EQ(Call(admin, "ListHosts", R"({"page": {"pageSize": 5000}})").status, 400);
  const Answer too_large =
      Send(http::verb::post, "/api/v1/ListHosts", "",
           {{"Cookie", std::string(kConsoleSessionCookie) + "=" + admin.cookie},
            {"X-CSRF-Token", admin.csrf}},
           64 * 1024 + 1);
  EXPECT_EQ(too_large.status, 413);
  EXPECT_EQ(Send(http::verb::get, "/api/v1/ListHosts").status, 405);
  EXPECT_EQ(Send(http::verb::post, "/api/nothing", "{}").status, 404);
}

TEST_F(ConsoleTest, FiveFailuresLockTheNameFromThatAddressThenItOpensAgain) {
  for (int i = 0; i < kMaxLoginFailuresPerName; ++i) {
    EXPECT_EQ(Login("admin-tanaka", "wrong password number " + std::to_string(i)).status, 401);
  }
  const Answer locked = Login("admin-tanaka", kAdminPassword);  // even the right one
  EXPECT_EQ(locked.status, 429);
  EXPECT_EQ(locked.Json()["code"], "RESOURCE_EXHAUSTED");
  EXPECT_EQ(locked.Header("retry-after"), "900");
  ASSERT_EQ(AuditOf("console.lockout").size(), 1u);
  EXPECT_EQ(AuditOf("console.lockout")[0].entry.actor, "admin-tanaka");
  // Another person from the same address is not locked.
  EXPECT_EQ(Login("vendor-sato", kVendorPassword).status, 200);

  Advance(absl::Minutes(10));
  EXPECT_EQ(Login("admin-tanaka", kAdminPassword).Header("retry-after"), "300");
  Advance(absl::Minutes(5));
  EXPECT_EQ(Login("admin-tanaka", kAdminPassword).status, 200);
}

TEST_F(ConsoleTest, AnIdleSessionEndsAfterFifteenMinutesAndPollingDoesNotKeepItAlive) {
  const Browser admin = LogIn("admin-tanaka", kAdminPassword);
  const auto session = [&] {
    return Send(http::verb::get, "/api/session", "",
                {{"Cookie", std::string(kConsoleSessionCookie) + "=" + admin.cookie}});
  };
  Advance(absl::Minutes(14));
  EXPECT_EQ(Call(admin, "ListHosts", "{}").status, 200);  // activity
  Advance(absl::Minutes(14));
  EXPECT_EQ(session().status, 200);  // a look, not activity
  Advance(absl::Minutes(1) + absl::Seconds(1));
  EXPECT_EQ(session().status, 401);
  const Answer expired = Call(admin, "ListHosts", "{}");
  EXPECT_EQ(expired.status, 401);
  EXPECT_EQ(expired.Json()["code"], "UNAUTHENTICATED");
}

TEST_F(ConsoleTest, LogoutAndAPasswordChangeEndTheSession) {
  const Browser first = LogIn("admin-tanaka", kAdminPassword);
  const Browser second = LogIn("admin-tanaka", kAdminPassword);
  const Answer logout = Send(http::verb::post, "/api/logout", "",
                             {{"Cookie", std::string(kConsoleSessionCookie) + "=" + first.cookie},
                              {"X-CSRF-Token", first.csrf}});
  EXPECT_EQ(logout.status, 204);
  EXPECT_THAT(logout.Header("set-cookie"), HasSubstr("Max-Age=0"));
  EXPECT_EQ(Call(first, "ListHosts", "{}").status, 401);
  EXPECT_EQ(Call(second, "ListHosts", "{}").status, 200);
  EXPECT_EQ(AuditOf("console.logout").size(), 1u);

  absl::StatusOr<std::string> hash = HashConsolePassword("a brand new password", kTestCost);
  ASSERT_TRUE(hash.ok());
  ASSERT_TRUE(
      users_->SetConsolePassword("admin-tanaka", *hash, absl::Now() + absl::Seconds(1)).ok());
  EXPECT_EQ(Call(second, "ListHosts", "{}").status, 401);
  EXPECT_EQ(Login("admin-tanaka", kAdminPassword).status, 401);
  EXPECT_EQ(Login("admin-tanaka", "a brand new password").status, 200);
}

TEST_F(ConsoleTest, GenerateReportDownloadsTheDocumentWithItsDigest) {
  const Browser vendor = LogIn("vendor-sato", kVendorPassword);
  const Answer report = Call(
      vendor, "GenerateReport",
      R"({"kind": "REPORT_KIND_VISIT", "format": "REPORT_FORMAT_HTML", "language": "REPORT_LANGUAGE_JA"})");
  ASSERT_EQ(report.status, 200) << report.body;
  EXPECT_EQ(report.Header("content-type"), "text/html; charset=utf-8");
  EXPECT_TRUE(absl::StartsWith(report.Header("content-disposition"), "attachment; filename=\""))
      << report.Header("content-disposition");
  EXPECT_EQ(report.Header("x-content-sha256"), pki::Sha256Hex(report.body));
  ExpectSecurityHeaders(report, "report");
  const std::vector<AuditEvent> audited = AuditOf("CollectorAdmin/GenerateReport");
  ASSERT_EQ(audited.size(), 1u);
  EXPECT_THAT(audited[0].entry.detail, HasSubstr(pki::Sha256Hex(report.body)));

  const Answer csv = Call(vendor, "GenerateReport",
                          R"({"kind": "REPORT_KIND_LEDGER", "format": "REPORT_FORMAT_CSV"})");
  ASSERT_EQ(csv.status, 200) << csv.body;
  EXPECT_EQ(csv.Header("content-type"), "text/csv; charset=utf-8");
  EXPECT_EQ(Call(vendor, "GenerateReport", "{}").status, 400);
}

TEST(ConsoleSessions, EndAfterTwelveHoursHoweverActive) {
  ConsoleSessions sessions;
  ConsoleLogin login{"admin-tanaka", UserRole::kAdmin, "hash", absl::UnixEpoch()};
  const absl::Time start = absl::FromUnixSeconds(1'800'000'000);
  absl::StatusOr<ConsoleSessions::Created> created = sessions.Create(login, start);
  ASSERT_TRUE(created.ok());
  const std::string cookie = created->cookie;
  absl::Time now = start;
  while (now + absl::Minutes(10) < start + kConsoleSessionLifetime) {
    now += absl::Minutes(10);
    ASSERT_NE(sessions.Find(cookie, now, true), nullptr) << now;
  }
  EXPECT_EQ(sessions.Find(cookie, start + kConsoleSessionLifetime, true), nullptr);
  EXPECT_EQ(sessions.size(), 0u);
  EXPECT_EQ(sessions.Find(std::string(64, '0'), start, true), nullptr);
}

TEST(LoginThrottle, AnAddressFailingAcrossManyNamesIsLockedToo) {
  LoginThrottle throttle;
  const absl::Time now = absl::FromUnixSeconds(1'800'000'000);
  bool locked = false;
  for (int i = 0; i < kMaxLoginFailuresPerAddress; ++i) {
    locked = throttle.Fail("name-" + std::to_string(i), "192.0.2.7", now);
  }
  EXPECT_TRUE(locked);
  EXPECT_TRUE(throttle.LockedFor("someone-else", "192.0.2.7", now).has_value());
  EXPECT_FALSE(throttle.LockedFor("someone-else", "192.0.2.8", now).has_value());
  EXPECT_FALSE(throttle.LockedFor("someone-else", "192.0.2.7", now + kLoginLockout).has_value());
}

}  // namespace
}  // namespace mamori::collector
