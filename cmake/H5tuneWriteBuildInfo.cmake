# Script mode: writes OUTPUT from TEMPLATE with the current git commit, if it changed.
execute_process(COMMAND git rev-parse --short=12 HEAD
  WORKING_DIRECTORY ${SOURCE_DIR}
  OUTPUT_VARIABLE H5TUNE_GIT_SHA OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
if(NOT H5TUNE_GIT_SHA)
  set(H5TUNE_GIT_SHA "unknown")
endif()
configure_file(${TEMPLATE} ${OUTPUT} @ONLY)
