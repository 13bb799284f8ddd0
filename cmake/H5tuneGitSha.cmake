# The git commit the library is built from, recorded in every log for provenance. A target
# re-reads it on every build (writing the file only when it changed), so a commit after
# configuring is still reported right.
function(h5tune_add_build_info target template output)
  add_custom_target(${target}_build_info
    COMMAND ${CMAKE_COMMAND} -DSOURCE_DIR=${PROJECT_SOURCE_DIR} -DTEMPLATE=${template} -DOUTPUT=${output}
            -DPROJECT_VERSION=${PROJECT_VERSION} -P ${PROJECT_SOURCE_DIR}/cmake/H5tuneWriteBuildInfo.cmake
    BYPRODUCTS ${output}
    COMMENT "Reading the git commit")
  add_dependencies(${target} ${target}_build_info)
  target_sources(${target} PRIVATE ${output})
endfunction()
