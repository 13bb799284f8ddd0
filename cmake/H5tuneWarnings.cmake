# Warnings as errors on our own targets only; third-party headers are included as SYSTEM.
function(h5tune_strict_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Werror -Wshadow -Wnon-virtual-dtor
    # GCC 12 at -O3 reports false -Wrestrict overlaps inside std::string (GCC bug 105651).
    $<$<AND:$<CXX_COMPILER_ID:GNU>,$<VERSION_LESS:$<CXX_COMPILER_VERSION>,13>>:-Wno-restrict>)
endfunction()
