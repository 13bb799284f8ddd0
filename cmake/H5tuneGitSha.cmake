# The git commit the library is built from, recorded in every log for provenance.
execute_process(COMMAND git rev-parse --short=12 HEAD
  WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
  OUTPUT_VARIABLE H5TUNE_GIT_SHA OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
if(NOT H5TUNE_GIT_SHA)
  set(H5TUNE_GIT_SHA "unknown")
endif()
