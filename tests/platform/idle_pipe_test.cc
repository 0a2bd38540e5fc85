// The idle pipe's server and client together in one process, over real named pipes (Wine's under
// the cross build): delivery, attribution to the sender's session, refusal of malformed messages,
// of a second server, and of stale reports.
#include <windows.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>

#include "platform/parse/idle_report.h"
#include "platform/windows/idle_pipe_client.h"
#include "platform/windows/idle_pipe_server.h"

namespace mamori::platform {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using ::testing::HasSubstr;

// A pipe name no other test (or a real agent on the machine) uses.
std::string UniquePipeName() {
  static std::atomic<int> counter{0};
  return R"(\\.\pipe\mamori-idle-test-)" + std::to_string(::GetCurrentProcessId()) + "-" +
         std::to_string(counter++);
}

uint32_t OwnSession() {
  DWORD session = 0;
  EXPECT_TRUE(::ProcessIdToSessionId(::GetCurrentProcessId(), &session));
  return session;
}

IdlePipeClientOptions ClientFor(const std::string& pipe_name) {
  IdlePipeClientOptions options;
  options.pipe_name = pipe_name;
  // The test's server runs in the test's own session, not session 0.
  options.require_session0_server = false;
  return options;
}

// The server handles a connection on its own thread: wait until it has counted `accepted` +
// `rejected` clients.
void WaitForCounts(const IdlePipeServer& server, uint64_t handled) {
  for (int i = 0; i < 500; ++i) {
    const IdlePipeServer::Counts counts = server.CountsForTest();
    if (counts.accepted + counts.rejected >= handled) {
      return;
    }
    std::this_thread::sleep_for(milliseconds(10));
  }
  ADD_FAILURE() << "the server did not handle " << handled << " clients in 5 s";
}

// A client that sends arbitrary bytes, as a hostile or broken process could.
void SendRaw(const std::string& pipe_name, std::string_view bytes) {
  const std::wstring name(pipe_name.begin(), pipe_name.end());
  HANDLE pipe = INVALID_HANDLE_VALUE;
  // The one instance may still be busy with the previous client, or between clients (the server
  // has not re-armed ConnectNamedPipe yet): wait, for up to about 2 s, rather than fail the test.
  for (int attempt = 0; attempt < 100 && pipe == INVALID_HANDLE_VALUE; ++attempt) {
    pipe = ::CreateFileW(name.c_str(), FILE_WRITE_DATA | SYNCHRONIZE, 0, nullptr, OPEN_EXISTING, 0,
                         nullptr);
    if (pipe != INVALID_HANDLE_VALUE) {
      break;
    }
    if (::GetLastError() == ERROR_PIPE_BUSY) {
      ::WaitNamedPipeW(name.c_str(), 2000);
    } else {
      std::this_thread::sleep_for(milliseconds(20));
    }
  }
  ASSERT_NE(pipe, INVALID_HANDLE_VALUE) << ::GetLastError();
  DWORD written = 0;
  if (!bytes.empty()) {
    EXPECT_TRUE(
        ::WriteFile(pipe, bytes.data(), static_cast<DWORD>(bytes.size()), &written, nullptr));
  }
  ::FlushFileBuffers(pipe);
  ::CloseHandle(pipe);
}

IdlePipeServer::Options ServerOptions(const std::string& pipe_name) {
  IdlePipeServer::Options options;
  options.pipe_name = pipe_name;
  options.read_timeout = milliseconds(300);
  return options;
}

TEST(IdlePipe, DeliversAReportAttributedToTheSendersSession) {
  const std::string name = UniquePipeName();
  IdlePipeServer::StartResult started = IdlePipeServer::Start(ServerOptions(name));
  ASSERT_NE(started.server, nullptr) << started.error;

  const IdleSendResult sent = SendIdleReport({5000}, ClientFor(name));
  ASSERT_TRUE(sent.ok()) << sent.error;
  WaitForCounts(*started.server, 1);

  const SessionIdle idle = started.server->IdleOf(OwnSession());
  ASSERT_TRUE(idle.idle.has_value()) << idle.unknown_reason;
  EXPECT_GE(*idle.idle, milliseconds(5000));
  EXPECT_LT(*idle.idle, milliseconds(65000));
  EXPECT_EQ(started.server->CountsForTest().accepted, 1u);
}

TEST(IdlePipe, KnowsNothingOfASessionThatNeverReported) {
  const std::string name = UniquePipeName();
  IdlePipeServer::StartResult started = IdlePipeServer::Start(ServerOptions(name));
  ASSERT_NE(started.server, nullptr) << started.error;
  const SessionIdle idle = started.server->IdleOf(OwnSession() + 7);
  EXPECT_EQ(idle.idle, std::nullopt);
  EXPECT_THAT(idle.unknown_reason, HasSubstr("no report from mamori-session-helper in session"));
}

TEST(IdlePipe, KeepsOnlyTheLatestReportOfASession) {
  const std::string name = UniquePipeName();
  IdlePipeServer::StartResult started = IdlePipeServer::Start(ServerOptions(name));
  ASSERT_NE(started.server, nullptr) << started.error;
  ASSERT_TRUE(SendIdleReport({600'000}, ClientFor(name)).ok());
  ASSERT_TRUE(SendIdleReport({1000}, ClientFor(name)).ok());
  WaitForCounts(*started.server, 2);
  const SessionIdle idle = started.server->IdleOf(OwnSession());
  ASSERT_TRUE(idle.idle.has_value()) << idle.unknown_reason;
  EXPECT_LT(*idle.idle, milliseconds(600'000));
}

TEST(IdlePipe, RefusesMalformedOversizedAndSilentClientsAndKeepsServing) {
  const std::string name = UniquePipeName();
  IdlePipeServer::StartResult started = IdlePipeServer::Start(ServerOptions(name));
  ASSERT_NE(started.server, nullptr) << started.error;

  SendRaw(name, "hello, mamori");
  WaitForCounts(*started.server, 1);
  const auto report = parse::EncodeIdleReport({1000});
  std::string oversized(reinterpret_cast<const char*>(report.data()), report.size());
  oversized += "x";
  SendRaw(name, oversized);
  WaitForCounts(*started.server, 2);
  SendRaw(name, "");  // connects and hangs up without a word
  WaitForCounts(*started.server, 3);

  EXPECT_EQ(started.server->CountsForTest().rejected, 3u);
  EXPECT_EQ(started.server->IdleOf(OwnSession()).idle, std::nullopt);

  ASSERT_TRUE(SendIdleReport({2000}, ClientFor(name)).ok());
  WaitForCounts(*started.server, 4);
  EXPECT_EQ(started.server->CountsForTest().accepted, 1u);
  EXPECT_TRUE(started.server->IdleOf(OwnSession()).idle.has_value());
}

TEST(IdlePipe, CutsOffAClientThatConnectsAndSaysNothing) {
  const std::string name = UniquePipeName();
  IdlePipeServer::StartResult started = IdlePipeServer::Start(ServerOptions(name));
  ASSERT_NE(started.server, nullptr) << started.error;
  const std::wstring wide(name.begin(), name.end());
  const HANDLE silent = ::CreateFileW(wide.c_str(), FILE_WRITE_DATA | SYNCHRONIZE, 0, nullptr,
                                      OPEN_EXISTING, 0, nullptr);
  ASSERT_NE(silent, INVALID_HANDLE_VALUE) << ::GetLastError();

  // The silent client holds the only instance until the 300 ms read timeout cuts it off; the next
  // helper waits for the instance and is served.
  const IdleSendResult sent = SendIdleReport({3000}, ClientFor(name));
  EXPECT_TRUE(sent.ok()) << sent.error;
  WaitForCounts(*started.server, 2);
  EXPECT_EQ(started.server->CountsForTest().rejected, 1u);
  EXPECT_EQ(started.server->CountsForTest().accepted, 1u);
  ::CloseHandle(silent);
}

TEST(IdlePipe, RefusesToServeAPipeNameSomeoneElseHolds) {
  const std::string name = UniquePipeName();
  IdlePipeServer::StartResult first = IdlePipeServer::Start(ServerOptions(name));
  ASSERT_NE(first.server, nullptr) << first.error;
  IdlePipeServer::StartResult second = IdlePipeServer::Start(ServerOptions(name));
  EXPECT_EQ(second.server, nullptr);
  EXPECT_THAT(second.error, HasSubstr("CreateNamedPipeW(" + name + ") failed: error "));
  EXPECT_THAT(second.error, HasSubstr("another process already holds the pipe name"));
}

TEST(IdlePipe, AgesAReportAndForgetsItAfterTheMaximumAge) {
  const std::string name = UniquePipeName();
  auto fake_now = std::make_shared<std::atomic<std::chrono::steady_clock::time_point>>(
      std::chrono::steady_clock::time_point{} + std::chrono::hours(1));
  IdlePipeServer::Options options = ServerOptions(name);
  options.max_report_age = seconds(180);
  options.clock = [fake_now] { return fake_now->load(); };
  IdlePipeServer::StartResult started = IdlePipeServer::Start(options);
  ASSERT_NE(started.server, nullptr) << started.error;

  ASSERT_TRUE(SendIdleReport({5000}, ClientFor(name)).ok());
  WaitForCounts(*started.server, 1);
  EXPECT_EQ(started.server->IdleOf(OwnSession()).idle, milliseconds(5000));

  fake_now->store(fake_now->load() + seconds(60));
  EXPECT_EQ(started.server->IdleOf(OwnSession()).idle, milliseconds(65000));

  fake_now->store(fake_now->load() + seconds(121));
  const SessionIdle stale = started.server->IdleOf(OwnSession());
  EXPECT_EQ(stale.idle, std::nullopt);
  EXPECT_THAT(stale.unknown_reason, HasSubstr("is 181 s old"));
}

TEST(IdlePipe, ClientSaysNoServerIsListening) {
  const IdleSendResult sent = SendIdleReport({1000}, ClientFor(UniquePipeName()));
  EXPECT_FALSE(sent.ok());
  EXPECT_EQ(sent.win32_error, static_cast<uint32_t>(ERROR_FILE_NOT_FOUND));
  EXPECT_THAT(sent.error, HasSubstr("ERROR_FILE_NOT_FOUND"));
}

TEST(IdlePipe, ClientRefusesAServerOutsideTheServicesSession) {
  if (OwnSession() == 0) {
    GTEST_SKIP() << "this process runs in session 0, where the real service would";
  }
  const std::string name = UniquePipeName();
  IdlePipeServer::StartResult started = IdlePipeServer::Start(ServerOptions(name));
  ASSERT_NE(started.server, nullptr) << started.error;
  IdlePipeClientOptions options = ClientFor(name);
  options.require_session0_server = true;
  const IdleSendResult sent = SendIdleReport({1000}, options);
  EXPECT_FALSE(sent.ok());
  EXPECT_THAT(sent.error, HasSubstr("not the service's session 0"));
}

}  // namespace
}  // namespace mamori::platform
