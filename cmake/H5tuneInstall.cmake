# install(EXPORT) so a program can `find_package(h5tune)` and link h5tune::h5tune (as fmt does).
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

install(TARGETS h5tune EXPORT h5tuneTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/h5tune DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
set(H5TUNE_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/h5tune)
install(EXPORT h5tuneTargets NAMESPACE h5tune:: DESTINATION ${H5TUNE_CMAKE_DIR})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/h5tuneConfig.cmake.in
  ${PROJECT_BINARY_DIR}/h5tuneConfig.cmake INSTALL_DESTINATION ${H5TUNE_CMAKE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/h5tuneConfigVersion.cmake COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/h5tuneConfig.cmake ${PROJECT_BINARY_DIR}/h5tuneConfigVersion.cmake
  DESTINATION ${H5TUNE_CMAKE_DIR})
