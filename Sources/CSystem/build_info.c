/* Build facts for atsign_exporter_build_info and --version. The version is the repository's
   VERSION file, embedded at compile time so that a plain `swift build` reports it too (clang
   records the file as a dependency, so editing it rebuilds this unit). The rest are stamped by
   scripts/build-release.sh in a header it generates and puts on the include path; they read
   "unknown" otherwise. */
#include "csystem_build.h"
#if __has_include("atsign_build_info.h")
#include "atsign_build_info.h"
#endif

#pragma clang diagnostic ignored "-Wc23-extensions"
static const char version_file[] = {
#embed "../../VERSION"
    , 0};

#ifndef ATSIGN_REVISION
#define ATSIGN_REVISION "unknown"
#endif
#ifndef ATSIGN_BRANCH
#define ATSIGN_BRANCH "unknown"
#endif
#ifndef ATSIGN_BUILD_USER
#define ATSIGN_BUILD_USER "unknown"
#endif
#ifndef ATSIGN_BUILD_DATE
#define ATSIGN_BUILD_DATE "unknown"
#endif

const char *csystem_build_version_file(void) { return version_file; }
const char *csystem_build_revision(void) { return ATSIGN_REVISION; }
const char *csystem_build_branch(void) { return ATSIGN_BRANCH; }
const char *csystem_build_user(void) { return ATSIGN_BUILD_USER; }
const char *csystem_build_date(void) { return ATSIGN_BUILD_DATE; }
