// The trial program of bench/short_trials.sh: sleeps for the seconds given as its argument,
// then prints the protocol line `h5tune: value=1`. A compiled program rather than
// `sh -c "sleep 0.1; echo ..."`: the shell's own fork and two execs cost ~3 ms per trial,
// which measured the shell, not h5tune.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: h5tune-bench-sleep SECONDS\n");
    return 2;
  }
  char* end = nullptr;
  const double seconds = std::strtod(argv[1], &end);
  if (end == argv[1] || *end != '\0' || !(seconds >= 0.0)) {
    std::fprintf(stderr, "h5tune-bench-sleep: '%s' is not a number of seconds\n", argv[1]);
    return 2;
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  std::puts("h5tune: value=1");
  return 0;
}
