#pragma once
// Strategy checkpoints: every strategy writes one Boost.Serialization binary archive that
// starts with the same header (tag, kind, format version, dimension), so loading a
// checkpoint into the wrong strategy or space fails with a clear message instead of
// producing garbage.
#include <boost/archive/binary_iarchive.hpp>
#include <boost/archive/binary_oarchive.hpp>
#include <boost/serialization/string.hpp>
#include <boost/serialization/vector.hpp>

#include <cstdint>
#include <exception>
#include <istream>
#include <ostream>
#include <sstream>
#include <string>
#include <string_view>

#include "h5tune/error.hpp"
#include "h5tune/seed.hpp"

namespace h5tune::strategy_state {

/// Bumped when any strategy changes what it writes after the header.
inline constexpr std::uint32_t format_version = 1;
inline constexpr std::string_view tag = "h5tune-strategy";
/// Raw bytes before the archive: foreign data is refused before Boost reads a length from it
/// (a garbage length would make it try to allocate exabytes).
inline constexpr std::string_view magic = "H5TUNE-STRATEGY\n";

/// The Mersenne Twister's full state as text (the standard defines its stream format).
inline std::string rng_to_text(const Rng& rng) {
  std::ostringstream os;
  os << rng;
  return os.str();
}

inline Rng rng_from_text(const std::string& text) {
  std::istringstream is(text);
  Rng rng;
  is >> rng;
  if (!is) throw InputError("strategy checkpoint: the random generator state is corrupt");
  return rng;
}

/// Writes the header, then lets `body(archive)` write the strategy's own state.
template <class Body>
void save(std::ostream& out, std::string_view kind, std::uint64_t dims, Body&& body) {
  out.write(magic.data(), static_cast<std::streamsize>(magic.size()));
  boost::archive::binary_oarchive ar(out);
  std::string tag_text(tag), kind_text(kind);
  std::uint32_t version = format_version;
  ar << tag_text << kind_text << version << dims;
  body(ar);
}

/// Reads and checks the header, then lets `body(archive)` read the strategy's state.
/// Archive failures (truncated or foreign data) become InputError naming the strategy.
template <class Body>
void load(std::istream& in, std::string_view kind, std::uint64_t dims, Body&& body) {
  std::string tag_text, kind_text;
  std::uint32_t version = 0;
  std::uint64_t stored_dims = 0;
  std::string head(magic.size(), '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  if (!in || head != magic) throw InputError("strategy checkpoint: not an h5tune strategy state");
  try {
    boost::archive::binary_iarchive ar(in);
    ar >> tag_text >> kind_text >> version >> stored_dims;
    if (tag_text != tag) throw InputError("strategy checkpoint: not an h5tune strategy state");
    if (kind_text != kind)
      throw InputError("strategy checkpoint: written by strategy '" + kind_text +
                       "', cannot be loaded into '" + std::string(kind) + "'");
    if (version != format_version)
      throw InputError("strategy checkpoint: format version " + std::to_string(version) +
                       " is not supported (this build reads " +
                       std::to_string(format_version) + ")");
    if (stored_dims != dims)
      throw InputError("strategy checkpoint: written for " + std::to_string(stored_dims) +
                       " parameters, the space has " + std::to_string(dims));
    body(ar);
  } catch (const Error&) {
    throw;
  } catch (const std::exception& e) {
    throw InputError("strategy checkpoint of '" + std::string(kind) +
                     "' cannot be read: " + e.what());
  }
}

}  // namespace h5tune::strategy_state
