// Event messages bounded and made valid UTF-8 before any sink sees them.
#include "agent/windows/event_log_sink.h"

#include "platform/parse/utf8.h"

namespace mamori::agent::windows {

std::string BoundedEventMessage(std::string_view message) {
  constexpr std::string_view kCut = " [...]";
  const bool fits = message.size() <= EventLogSink::kMaxMessageBytes;
  const std::size_t limit = fits ? message.size() : EventLogSink::kMaxMessageBytes - kCut.size();
  std::string bounded;
  bounded.reserve(EventLogSink::kMaxMessageBytes);
  // An invalid byte becomes one '?', so the text never grows past `limit`.
  for (std::size_t i = 0; i < limit;) {
    const std::size_t length = parse::Utf8SequenceLength(message, i);
    if (length == 0) {
      bounded.push_back('?');
      ++i;
      continue;
    }
    if (i + length > limit) {
      break;  // never half a character
    }
    bounded.append(message.substr(i, length));
    i += length;
  }
  if (!fits) {
    bounded.append(kCut);
  }
  return bounded;
}

}  // namespace mamori::agent::windows
