// Abseil time <-> protobuf's well-known Timestamp and Duration, for every gRPC edge (gateway,
// enrollment, admin service, knowledge reader and writer, mamorictl). Through seconds and nanos,
// never one int64 of nanoseconds: validation allows the whole protobuf range (years 1..9999), which
// overflows nanoseconds. Seconds are floored, so nanos stay within [0, 1e9) as protobuf requires.
#pragma once

#include <google/protobuf/duration.pb.h>
#include <google/protobuf/timestamp.pb.h>

#include <cstdint>

#include "absl/time/time.h"

namespace mamori::codec {

inline google::protobuf::Timestamp ToProtoTimestamp(absl::Time time) {
  const std::int64_t seconds = absl::ToUnixSeconds(time);
  google::protobuf::Timestamp timestamp;
  timestamp.set_seconds(seconds);
  timestamp.set_nanos(
      static_cast<std::int32_t>(absl::ToInt64Nanoseconds(time - absl::FromUnixSeconds(seconds))));
  return timestamp;
}

inline absl::Time FromProtoTimestamp(const google::protobuf::Timestamp& timestamp) {
  return absl::FromUnixSeconds(timestamp.seconds()) + absl::Nanoseconds(timestamp.nanos());
}

inline absl::Duration FromProtoDuration(const google::protobuf::Duration& duration) {
  return absl::Seconds(duration.seconds()) + absl::Nanoseconds(duration.nanos());
}

}  // namespace mamori::codec
