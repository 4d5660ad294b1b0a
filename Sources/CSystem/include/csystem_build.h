#ifndef CSYSTEM_BUILD_H
#define CSYSTEM_BUILD_H
/* Build facts (build_info.c): the VERSION file's text as written (with its newline), and what
   scripts/build-release.sh stamped with -Xcc -DATSIGN_REVISION=... etc., or "unknown". */
const char *csystem_build_version_file(void);
const char *csystem_build_revision(void);
const char *csystem_build_branch(void);
const char *csystem_build_user(void);
const char *csystem_build_date(void);
#endif
