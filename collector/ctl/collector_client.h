// mamorictl's connection to the collector: mutual TLS with the person's bundle, the collector
// checked against the bundle's CA under the fixed name every collector certificate carries, a
// deadline on every call, and lists fetched page by page up to a bound.
#pragma once

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <memory>
#include <string>

#include "collector/ctl/client_bundle.h"
#include "google/protobuf/message.h"
#include "mamori/v1/admin.grpc.pb.h"

namespace mamori::ctl {

inline constexpr std::chrono::seconds kCallDeadline{30};
// Lists are fetched in the largest pages the collector serves, and no further than this many rows:
// a clinic has tens of PCs, so more means a filter is missing, not that the screen needs them all.
inline constexpr int kFetchPageSize = 1000;
inline constexpr int kMaxFetchedRows = 100'000;

// A channel to `target` ("host:port") trusting only the bundle's CA, presenting its certificate,
// and checking the collector's certificate for the name "mamori-collector" whatever address is
// dialled (as agents do: collector/server/collector_identity.h).
std::shared_ptr<grpc::Channel> CollectorChannel(const std::string& target,
                                                const ClientBundle& bundle);

// A ClientContext with kCallDeadline from now.
std::unique_ptr<grpc::ClientContext> CallContextWithDeadline();

// Rows in a list response: the sum of the sizes of its repeated message fields.
int CountRows(const google::protobuf::Message& response);

// The outcome of fetching every page of a list.
struct FetchOutcome {
  grpc::Status status;     // of the first call that failed; OK otherwise
  bool truncated = false;  // stopped at kMaxFetchedRows (or a page token that did not move)
};

// Calls `call(context, request, page)` for each page of `request` (page_size kFetchPageSize unless
// the request sets one) and merges the pages into `merged`: repeated fields appended, totals from
// the last page, next_page_token cleared. Stops at the first failure, at `max_rows` rows, or when
// the collector repeats a page token.
template <typename Request, typename Response, typename Call>
FetchOutcome FetchAllPages(Request request, Call call, Response& merged,
                           int max_rows = kMaxFetchedRows) {
  FetchOutcome outcome;
  if (request.page().page_size() == 0) {
    request.mutable_page()->set_page_size(kFetchPageSize);
  }
  merged.Clear();
  while (true) {
    Response page;
    const std::unique_ptr<grpc::ClientContext> context = CallContextWithDeadline();
    outcome.status = call(context.get(), request, &page);
    if (!outcome.status.ok()) {
      return outcome;
    }
    const std::string next = page.next_page_token();
    merged.MergeFrom(page);
    merged.clear_next_page_token();
    if (next.empty()) {
      return outcome;
    }
    if (CountRows(merged) >= max_rows || next == request.page().page_token()) {
      outcome.truncated = true;
      return outcome;
    }
    request.mutable_page()->set_page_token(next);
  }
}

}  // namespace mamori::ctl
