#pragma once
// The JSON Schema of fusion.yaml, for editors:
//   # yaml-language-server: $schema=./fusion.schema.json     (after `fusion schema >
//   fusion.schema.json`)
// It declares draft 2020-12 and uses only keywords whose meaning draft 7 shares, so validators of
// either draft (valijson in our tests) read it the same. The property lists come from keys.h,
// the loader's own tables; schema_test.cc checks examples against it.

#include <nlohmann/json.hpp>

namespace fusion {

nlohmann::json registry_schema();

}  // namespace fusion
