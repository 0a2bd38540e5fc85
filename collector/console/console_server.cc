#include "collector/console/console_server.h"

#include <openssl/ssl.h>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "spdlog/spdlog.h"

namespace mamori::collector {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;

std::chrono::milliseconds ToChrono(absl::Duration duration) {
  return std::chrono::milliseconds(absl::ToInt64Milliseconds(duration));
}

}  // namespace

// Everything the I/O thread touches. The io_context goes first on destruction (see ~State), so the
// connections its pending handlers still hold end while the rest is alive.
struct ConsoleServer::State {
  ~State() {
    acceptor.reset();
    ioc.reset();
  }

  ConsoleServerOptions options;
  std::unique_ptr<ConsoleApi> api;
  ssl::context tls{ssl::context::tls_server};
  std::unique_ptr<net::io_context> ioc = std::make_unique<net::io_context>(1);
  std::unique_ptr<tcp::acceptor> acceptor;
  std::thread thread;
  bool stopped = false;
  // Only touched on the I/O thread.
  class Connection;
  std::unordered_map<std::uint64_t, std::weak_ptr<Connection>> connections;
  std::uint64_t next_connection_id = 0;

  void Accept();
};

// One TLS connection: handshake, then requests one at a time until the client or a limit ends it.
class ConsoleServer::State::Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(State& state, tcp::socket socket, std::uint64_t id, std::string client_address)
      : state_(state),
        stream_(std::move(socket), state.tls),
        id_(id),
        client_address_(std::move(client_address)) {}
  ~Connection() { state_.connections.erase(id_); }

  void Start() {
    beast::get_lowest_layer(stream_).expires_after(ToChrono(state_.options.read_timeout));
    stream_.async_handshake(ssl::stream_base::server,
                            [self = shared_from_this()](beast::error_code error) {
                              if (!error) {
                                self->Read();
                              }
                            });
  }

  void Close() {
    beast::error_code ignored;
    beast::get_lowest_layer(stream_).socket().shutdown(tcp::socket::shutdown_both, ignored);
    beast::get_lowest_layer(stream_).close();
  }

 private:
  void Read() {
    parser_.emplace();
    parser_->header_limit(kMaxConsoleHeaderBytes);
    parser_->body_limit(kMaxConsoleBodyBytes);
    beast::get_lowest_layer(stream_).expires_after(ToChrono(state_.options.read_timeout));
    http::async_read(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code error, std::size_t) { self->OnRead(error); });
  }

  void OnRead(beast::error_code error) {
    if (error == http::error::end_of_stream) {
      Shutdown();
      return;
    }
    if (error == http::error::body_limit) {
      Write(ConsoleApi::Refuse(
          11, http::status::payload_too_large, "RESOURCE_EXHAUSTED",
          absl::StrCat("the body is larger than ", kMaxConsoleBodyBytes, " bytes")));
      return;
    }
    if (error == http::error::header_limit) {
      Write(ConsoleApi::Refuse(
          11, http::status::request_header_fields_too_large, "RESOURCE_EXHAUSTED",
          absl::StrCat("the headers are larger than ", kMaxConsoleHeaderBytes, " bytes")));
      return;
    }
    if (error.category() == http::make_error_code(http::error::bad_target).category()) {
      Write(ConsoleApi::Refuse(11, http::status::bad_request, "INVALID_ARGUMENT",
                               "not an HTTP/1.1 request"));
      return;
    }
    if (error) {
      return;  // timeout, reset, TLS error: nothing to answer
    }
    ConsoleResponse response = state_.api->Handle(parser_->get(), client_address_);
    if (++served_ >= state_.options.max_requests_per_connection) {
      response.keep_alive(false);
    }
    Write(std::move(response));
  }

  void Write(ConsoleResponse response) {
    response_ = std::move(response);
    beast::get_lowest_layer(stream_).expires_after(ToChrono(state_.options.write_timeout));
    http::async_write(stream_, response_,
                      [self = shared_from_this()](beast::error_code error, std::size_t) {
                        if (error) {
                          return;
                        }
                        if (!self->response_.keep_alive()) {
                          self->Shutdown();
                          return;
                        }
                        self->Read();
                      });
  }

  void Shutdown() {
    beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(5));
    stream_.async_shutdown([self = shared_from_this()](beast::error_code) {});
  }

  State& state_;
  beast::ssl_stream<beast::tcp_stream> stream_;
  std::uint64_t id_;
  std::string client_address_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  ConsoleResponse response_;
  int served_ = 0;
};

void ConsoleServer::State::Accept() {
  acceptor->async_accept(*ioc, [this](beast::error_code error, tcp::socket socket) {
    if (error) {
      if (error != net::error::operation_aborted) {
        spdlog::warn("console: accept failed: {}", error.message());
        Accept();
      }
      return;
    }
    if (connections.size() >= static_cast<std::size_t>(options.max_connections)) {
      // Over the bound: closed at once, the browser retries.
      spdlog::debug("console: {} connections open, refusing another", connections.size());
      beast::error_code ignored;
      socket.close(ignored);
      Accept();
      return;
    }
    beast::error_code ignored;
    const tcp::endpoint peer = socket.remote_endpoint(ignored);
    const std::uint64_t id = next_connection_id++;
    auto connection =
        std::make_shared<Connection>(*this, std::move(socket), id, peer.address().to_string());
    connections.emplace(id, connection);
    connection->Start();
    Accept();
  });
}

ConsoleServer::ConsoleServer(std::unique_ptr<State> state, ListenAddress address)
    : state_(std::move(state)), address_(std::move(address)) {}

ConsoleServer::~ConsoleServer() { Stop(); }

absl::StatusOr<std::unique_ptr<ConsoleServer>> ConsoleServer::Start(
    const ConsoleServerOptions& options, CollectorAdminService& admin, UserStore& users,
    AuditLog& audit, const CollectorIdentity& identity) {
  absl::StatusOr<ListenAddress> listen = ParseListenAddress(options.listen);
  if (!listen.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--console-listen: ", listen.status().message()));
  }
  auto state = std::make_unique<State>();
  state->options = options;
  absl::StatusOr<std::unique_ptr<ConsoleApi>> api =
      ConsoleApi::Create(admin, users, audit, options.api);
  if (!api.ok()) {
    return api.status();
  }
  state->api = *std::move(api);

  // TLS 1.2 and 1.3 only, forward-secret AEAD suites for 1.2 (1.3's are all of that kind).
  state->tls.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                         ssl::context::no_sslv3 | ssl::context::no_tlsv1 |
                         ssl::context::no_tlsv1_1);
  SSL_CTX_set_min_proto_version(state->tls.native_handle(), TLS1_2_VERSION);
  if (SSL_CTX_set_cipher_list(state->tls.native_handle(), "ECDHE+AESGCM:ECDHE+CHACHA20") != 1) {
    return absl::InternalError("console: the TLS cipher list was refused");
  }
  const std::string chain = identity.ServerChainPem();
  beast::error_code error;
  state->tls.use_certificate_chain(net::buffer(chain), error);
  if (!error) {
    state->tls.use_private_key(net::buffer(identity.server_key_pem), ssl::context::pem, error);
  }
  if (error) {
    return absl::InternalError(
        absl::StrCat("console: the server certificate cannot be used: ", error.message()));
  }

  const net::ip::address ip = net::ip::make_address(listen->host, error);
  if (error) {
    return absl::InvalidArgumentError(
        absl::StrCat("--console-listen: '", listen->host, "' is not an IP address"));
  }
  const tcp::endpoint endpoint(ip, listen->port);
  state->acceptor = std::make_unique<tcp::acceptor>(*state->ioc);
  state->acceptor->open(endpoint.protocol(), error);
  if (!error) {
    state->acceptor->set_option(net::socket_base::reuse_address(true), error);
  }
  if (!error) {
    state->acceptor->bind(endpoint, error);
  }
  if (!error) {
    state->acceptor->listen(net::socket_base::max_listen_connections, error);
  }
  if (error) {
    return absl::UnavailableError(
        absl::StrCat("console: cannot listen on ", listen->ToString(), ": ", error.message()));
  }
  ListenAddress bound = *listen;
  bound.port = state->acceptor->local_endpoint().port();
  state->Accept();
  State* raw = state.get();
  state->thread = std::thread([raw] {
    // Handlers do not throw (every error is a value); a bug that does must not take serve down
    // silently.
    try {
      raw->ioc->run();
    } catch (const std::exception& exception) {
      spdlog::error("console: stopped by an exception: {}", exception.what());
    }
  });
  return std::unique_ptr<ConsoleServer>(new ConsoleServer(std::move(state), std::move(bound)));
}

void ConsoleServer::Stop() {
  if (state_ == nullptr || state_->stopped) {
    return;
  }
  state_->stopped = true;
  State* state = state_.get();
  net::post(*state->ioc, [state] {
    beast::error_code ignored;
    state->acceptor->close(ignored);
    // Held here so that none ends (and leaves the map) while the map is walked.
    std::vector<std::shared_ptr<State::Connection>> open;
    for (auto& [id, weak] : state->connections) {
      if (std::shared_ptr<State::Connection> connection = weak.lock()) {
        open.push_back(std::move(connection));
      }
    }
    for (const auto& connection : open) {
      connection->Close();
    }
    state->ioc->stop();
  });
  if (state->thread.joinable()) {
    state->thread.join();
  }
}

}  // namespace mamori::collector
