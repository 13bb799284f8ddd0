# Warnings as errors on our own targets only; third-party headers are included as SYSTEM.
function(h5tune_strict_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Werror -Wshadow -Wnon-virtual-dtor)
endfunction()
