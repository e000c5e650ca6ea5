#pragma once
// For generator tests: the mapping fixture (tests/fixtures/mapping), loaded and valid, with a
// context that places fusion.yaml in /stack and the output in /stack/generated.

#include <gtest/gtest.h>

#include "generate/context.h"
#include "registry/test_support.h"
#include "util/file.h"

namespace fusion::testing {

struct Fixture {
  Loaded loaded;
  GenerateContext ctx;
  const Service& service(std::string_view name) const {
    return *loaded.registry.find_service(name);
  }
};

inline Fixture load_fixture(const std::string& yaml) {
  Fixture f{load_and_validate(yaml), {}};
  EXPECT_EQ(f.loaded.text(), "");
  f.ctx = *make_generate_context(f.loaded.registry, "/stack", "/stack/generated");
  return f;
}

inline Fixture mapping_fixture() {
  return load_fixture(*read_file(FUSION_SOURCE_DIR "/tests/fixtures/mapping/fusion.yaml"));
}

}  // namespace fusion::testing
