// End to end with Debian's real ClamAV: clamd started in the foreground on a one-signature database
// in a temp dir (no freshclam, no network, no systemd), then the real mamori-check on the live root
// "/" must see it running (MAM-AV-001 pass) and, once clamd has stopped, not running (fail).
#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "platform/linux/process_names.h"

namespace mamori::check {
namespace {

using std::chrono::steady_clock;
using ::testing::HasSubstr;

constexpr auto kStartTimeout = std::chrono::seconds(60);
constexpr auto kStopTimeout = std::chrono::seconds(30);
// Every run of this test on the machine takes this lock, so that two engineers (or two ctest jobs)
// never see each other's clamd.
constexpr const char* kLockFile = "/tmp/mamori-clamav-daemon-test.lock";
// The sample file and its signature: an MD5 hash signature (.hdb: md5:size:name) of exactly these
// 19 bytes, so clamd loads one signature of ours and needs no daily.cvd.
constexpr std::string_view kSample = "mamori-clamav-test\n";
constexpr std::string_view kSignature =
    "f83ee0d6b8a0b5fb11108941bf16d8b8:19:Mamori.Test.Signature\n";

std::optional<std::filesystem::path> FindClamd() {
  for (const char* candidate : {"/usr/sbin/clamd", "/usr/bin/clamd"}) {
    if (::access(candidate, X_OK) == 0) {
      return std::filesystem::path(candidate);
    }
  }
  return std::nullopt;
}

std::string ReadText(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

struct CheckRun {
  int exit_code = -1;
  nlohmann::json report;
};

CheckRun RunCheckOnLiveRoot() {
  const std::string command = std::string(MAMORI_CHECK_BIN) + " --root / --format json 2>/dev/null";
  CheckRun run;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) {
    return run;
  }
  std::string out;
  char buffer[4096];
  std::size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) {
    out.append(buffer, n);
  }
  const int status = ::pclose(pipe);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  run.report = nlohmann::json::parse(out, nullptr, /*allow_exceptions=*/false);
  return run;
}

nlohmann::json FindingOf(const nlohmann::json& report, std::string_view rule) {
  if (report.is_object() && report.contains("findings")) {
    for (const nlohmann::json& finding : report.at("findings")) {
      if (finding.value("rule", "") == rule) {
        return finding;
      }
    }
  }
  return nlohmann::json();
}

nlohmann::json ClamAvProductOf(const nlohmann::json& report) {
  const nlohmann::json products =
      report.value(nlohmann::json::json_pointer("/facts/antivirus/products"), nlohmann::json());
  for (const nlohmann::json& product : products) {
    if (product.value("name", "") == "ClamAV") {
      return product;
    }
  }
  return nlohmann::json();
}

// One request in clamd's NUL-terminated command form ("zPING\0"), and its reply.
std::optional<std::string> AskClamd(const std::filesystem::path& socket_path,
                                    const std::string& command) {
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    return std::nullopt;
  }
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::strncpy(address.sun_path, socket_path.c_str(), sizeof address.sun_path - 1);
  std::optional<std::string> reply;
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0) {
    const std::string request = "z" + command + '\0';
    if (::send(fd, request.data(), request.size(), MSG_NOSIGNAL) ==
        static_cast<ssize_t>(request.size())) {
      std::string text;
      char buffer[512];
      ssize_t n = 0;
      while ((n = ::recv(fd, buffer, sizeof buffer, 0)) > 0) {
        text.append(buffer, static_cast<std::size_t>(n));
        if (text.find('\0') != std::string::npos) {
          break;
        }
      }
      reply = text.substr(0, text.find('\0'));
    }
  }
  ::close(fd);
  return reply;
}

// A clamd of our own, in the foreground, on a config and database written to a fresh temp dir.
// The destructor kills it if the test did not stop it, so no clamd outlives a failed test.
class ClamdProcess {
 public:
  explicit ClamdProcess(const std::filesystem::path& clamd) {
    std::string pattern = "/tmp/mamori-clamd-XXXXXX";  // short: sun_path holds 108 bytes
    if (::mkdtemp(pattern.data()) == nullptr) {
      error_ = std::string("mkdtemp failed: ") + std::strerror(errno);
      return;
    }
    dir_ = pattern;
    std::ofstream(dir_ / "sample.txt", std::ios::binary) << kSample;
    std::ofstream(dir_ / "mamori.hdb", std::ios::binary) << kSignature;
    // No User line: clamd runs as whoever starts it (root in CI).
    std::ofstream(dir_ / "clamd.conf", std::ios::binary)
        << "Foreground yes\n"
        << "LocalSocket " << socket_path().string() << "\n"
        << "DatabaseDirectory " << dir_.string() << "\n"
        << "PidFile " << (dir_ / "clamd.pid").string() << "\n"
        << "LogFile " << log_path().string() << "\n"
        << "SelfCheck 3600\n";

    const std::string config_arg = "--config-file=" + (dir_ / "clamd.conf").string();
    const std::string output = (dir_ / "clamd.out").string();
    pid_ = ::fork();
    if (pid_ == 0) {
      const int out = ::open(output.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      if (out >= 0) {
        ::dup2(out, STDOUT_FILENO);
        ::dup2(out, STDERR_FILENO);
      }
      std::vector<char*> argv = {const_cast<char*>("clamd"), const_cast<char*>(config_arg.c_str()),
                                 nullptr};
      ::execv(clamd.c_str(), argv.data());
      ::_exit(127);
    }
    if (pid_ < 0) {
      error_ = std::string("fork failed: ") + std::strerror(errno);
    }
  }

  ~ClamdProcess() {
    if (running()) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    if (!dir_.empty()) {
      std::error_code ignored;
      std::filesystem::remove_all(dir_, ignored);
    }
  }
  ClamdProcess(const ClamdProcess&) = delete;
  ClamdProcess& operator=(const ClamdProcess&) = delete;

  const std::string& error() const { return error_; }
  std::filesystem::path socket_path() const { return dir_ / "clamd.sock"; }
  std::filesystem::path log_path() const { return dir_ / "clamd.log"; }
  std::filesystem::path sample_path() const { return dir_ / "sample.txt"; }
  bool running() const { return pid_ > 0 && !exit_status_; }

  // Ready once clamd answers PING on its socket (it has loaded the database by then). False when
  // it exited or did not answer within the timeout; Diagnostics() then says why.
  bool WaitUntilReady() {
    const auto deadline = steady_clock::now() + kStartTimeout;
    while (steady_clock::now() < deadline) {
      if (Reap(WNOHANG)) {
        return false;
      }
      if (std::filesystem::exists(socket_path()) && AskClamd(socket_path(), "PING") == "PONG") {
        return true;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
  }

  // SIGTERM, as an init system would, and wait for clamd to exit. True when it exited in time.
  bool Stop() {
    if (!running()) {
      return false;
    }
    ::kill(pid_, SIGTERM);
    const auto deadline = steady_clock::now() + kStopTimeout;
    while (steady_clock::now() < deadline) {
      if (Reap(WNOHANG)) {
        return true;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }

  std::string Diagnostics() const {
    return "clamd " +
           (exit_status_ ? "exited with wait status " + std::to_string(*exit_status_)
                         : std::string("still running")) +
           "\n--- clamd output:\n" + ReadText(dir_ / "clamd.out") + "\n--- clamd log:\n" +
           ReadText(log_path());
  }

 private:
  bool Reap(int options) {
    int status = 0;
    if (pid_ > 0 && ::waitpid(pid_, &status, options) == pid_) {
      exit_status_ = status;
      return true;
    }
    return false;
  }

  std::filesystem::path dir_;
  std::string error_;
  pid_t pid_ = -1;
  std::optional<int> exit_status_;
};

class RealClamd : public ::testing::Test {
 protected:
  void SetUp() override {
    clamd_binary_ = FindClamd();
    if (!clamd_binary_) {
      if (std::getenv("MAMORI_REQUIRE_CLAMAV") != nullptr) {
        FAIL() << "clamd not found but MAMORI_REQUIRE_CLAMAV is set: run scripts/setup "
                  "(installs clamav-daemon)";
      }
      GTEST_SKIP() << "clamd not installed (apt-get install clamav-daemon); set "
                      "MAMORI_REQUIRE_CLAMAV=1 to make this a failure";
    }
    lock_fd_ = ::open(kLockFile, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
    ASSERT_GE(lock_fd_, 0) << "cannot open " << kLockFile << ": " << std::strerror(errno);
    ASSERT_EQ(::flock(lock_fd_, LOCK_EX), 0) << std::strerror(errno);
    // With someone else's clamd running, "stopped means fail" cannot be shown on this machine.
    const platform::ProcessNames processes = platform::ListProcessNames("/proc");
    ASSERT_TRUE(processes.ok()) << processes.error;
    ASSERT_FALSE(processes.Contains("clamd"))
        << "a clamd not started by this test is running; stop it to run this test";
  }

  void TearDown() override {
    if (lock_fd_ >= 0) {
      ::close(lock_fd_);  // releases the flock
    }
  }

  std::optional<std::filesystem::path> clamd_binary_;
  int lock_fd_ = -1;
};

TEST_F(RealClamd, PassesTheAntivirusRuleWhileClamdRunsAndFailsItOnceClamdStops) {
  ClamdProcess clamd(*clamd_binary_);
  ASSERT_EQ(clamd.error(), "");
  ASSERT_TRUE(clamd.WaitUntilReady()) << clamd.Diagnostics();
  // Our database is what it loaded: the sample is detected by our signature.
  EXPECT_THAT(AskClamd(clamd.socket_path(), "SCAN " + clamd.sample_path().string()).value_or(""),
              HasSubstr("Mamori.Test.Signature"));

  const CheckRun running = RunCheckOnLiveRoot();
  ASSERT_TRUE(running.report.is_object()) << "mamori-check printed no JSON";
  const nlohmann::json av_running = FindingOf(running.report, "MAM-AV-001");
  EXPECT_EQ(av_running.value("status", ""), "pass") << av_running.dump(2);
  EXPECT_THAT(av_running.value("evidence", ""), HasSubstr("ClamAV"));
  const nlohmann::json product = ClamAvProductOf(running.report);
  EXPECT_EQ(product.value("source", ""), "process:clamd") << running.report.dump(2);
  EXPECT_EQ(product.value("state", ""), "on");

  ASSERT_TRUE(clamd.Stop()) << clamd.Diagnostics();
  const CheckRun stopped = RunCheckOnLiveRoot();
  ASSERT_TRUE(stopped.report.is_object()) << "mamori-check printed no JSON";
  const nlohmann::json av_stopped = FindingOf(stopped.report, "MAM-AV-001");
  EXPECT_EQ(av_stopped.value("status", ""), "fail") << av_stopped.dump(2);
  EXPECT_EQ(stopped.exit_code, 1);  // any failing rule makes mamori-check exit 1
}

// The probe dates signatures from /var/lib/clamav/daily.cvd or daily.cld only; a database of
// custom signatures carries no build time, so the age rule must say unknown, never pass.
TEST_F(RealClamd, LeavesSignatureAgeUnknownWhenClamdRunsOnCustomSignaturesOnly) {
  for (const char* daily : {"/var/lib/clamav/daily.cvd", "/var/lib/clamav/daily.cld"}) {
    if (std::filesystem::exists(daily)) {
      GTEST_SKIP() << daily << " exists here (freshclam ran): its build time is the real one";
    }
  }
  ClamdProcess clamd(*clamd_binary_);
  ASSERT_EQ(clamd.error(), "");
  ASSERT_TRUE(clamd.WaitUntilReady()) << clamd.Diagnostics();

  const CheckRun run = RunCheckOnLiveRoot();
  ASSERT_TRUE(run.report.is_object()) << "mamori-check printed no JSON";
  EXPECT_EQ(FindingOf(run.report, "MAM-AV-001").value("status", ""), "pass");
  const nlohmann::json product = ClamAvProductOf(run.report);
  ASSERT_TRUE(product.is_object()) << run.report.dump(2);
  EXPECT_TRUE(product.contains("signatures_updated_at"));
  EXPECT_TRUE(product.value("signatures_updated_at", nlohmann::json()).is_null());
  const nlohmann::json age = FindingOf(run.report, "MAM-AV-003");
  EXPECT_EQ(age.value("status", ""), "unknown") << age.dump(2);
  EXPECT_TRUE(clamd.Stop()) << clamd.Diagnostics();
}

}  // namespace
}  // namespace mamori::check
