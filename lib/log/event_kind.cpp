#include "h5tune/log.hpp"

namespace h5tune {

std::string_view to_string(EventKind kind) noexcept {
  switch (kind) {
    case EventKind::ask: return "ask";
    case EventKind::start: return "start";
    case EventKind::tell: return "tell";
    case EventKind::run_start: return "run_start";
    case EventKind::run_stop: return "run_stop";
    case EventKind::retry: return "retry";
  }
  return "unknown";
}

}  // namespace h5tune
