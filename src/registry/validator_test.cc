#include "registry/validator.h"

#include <gtest/gtest.h>

#include "registry/test_support.h"

namespace fusion {
namespace {

using testing::load_and_validate;

// Every test states the full text a user sees: position, message, source line and caret.

TEST(Validate, CleanRegistryHasNoDiagnostics) {
  auto l = load_and_validate(R"(version: 1
name: shop
services:
  db:
    image: postgres:16
    ports: ["5432"]
    health: { tcp: 5432 }
  api:
    path: ./api
    ports: ["8080:8080"]
    depends_on: { db: healthy }
    health: { http: /healthz }
)");
  EXPECT_EQ(l.text(), "");
}

TEST(Validate, UnknownKeySuggestsTheClosestOne) {
  auto l = load_and_validate(R"(version: 1
name: shop
services:
  api:
    image: api:1
    helth: { http: /healthz }
)");
  EXPECT_EQ(l.text(),
            "fusion.yaml:6:5: error: unknown key 'helth' in service 'api'; did you mean 'health'?\n"
            "    6 |     helth: { http: /healthz }\n"
            "      |     ^~~~~\n");
}

TEST(Validate, KeysOfOtherToolsNameFusionsSpelling) {
  auto l = load_and_validate(R"(version: 1
name: shop
services:
  api:
    image: api:1
    healthcheck: { http: / }
    environment: { A: b }
)");
  EXPECT_EQ(
      l.text(),
      "fusion.yaml:6:5: error: unknown key 'healthcheck' in service 'api'; fusion calls it "
      "'health'\n"
      "    6 |     healthcheck: { http: / }\n"
      "      |     ^~~~~~~~~~~\n"
      "fusion.yaml:7:5: error: unknown key 'environment' in service 'api'; fusion calls it 'env'\n"
      "    7 |     environment: { A: b }\n"
      "      |     ^~~~~~~~~~~\n");
}

TEST(Validate, WrongTypesSayWhatWasExpected) {
  auto l = load_and_validate(R"(version: 1
name: shop
services:
  api:
    image: [api, 1]
    ports: "8080"
)");
  EXPECT_EQ(
      l.text(),
      "fusion.yaml:5:12: error: expected a string for 'image' in service 'api', found a list\n"
      "    5 |     image: [api, 1]\n"
      "      |            ^\n"
      "fusion.yaml:6:12: error: expected a list for 'ports' in service 'api', found a scalar\n"
      "    6 |     ports: \"8080\"\n"
      "      |            ^~~~~~\n");
}

TEST(Validate, NamesMustBeDns1123Labels) {
  auto l = load_and_validate(R"(version: 1
name: Shop
phases:
  Infra: { order: 1 }
services:
  core_api:
    image: a:1
    phase: Infra
)");
  EXPECT_EQ(
      l.text(),
      "fusion.yaml:2:7: error: stack name 'Shop' is not a DNS-1123 label: use 1-63 lowercase "
      "letters, digits and '-', starting and ending with a letter or digit\n"
      "    2 | name: Shop\n"
      "      |       ^~~~\n"
      "fusion.yaml:4:3: error: phase name 'Infra' is not a DNS-1123 label: use 1-63 lowercase "
      "letters, digits and '-', starting and ending with a letter or digit\n"
      "    4 |   Infra: { order: 1 }\n"
      "      |   ^~~~~\n"
      "fusion.yaml:6:3: error: service name 'core_api' is not a DNS-1123 label: use 1-63 "
      "lowercase letters, digits and '-', starting and ending with a letter or digit\n"
      "    6 |   core_api:\n"
      "      |   ^~~~~~~~\n");
}

TEST(Validate, RepoNetworkVolumeAndGroupNamesAreLabelsToo) {
  auto l = load_and_validate(R"(version: 1
name: shop
repos: { Core.Api: https://example.invalid/a.git }
volumes: { pg_data: {} }
networks: { Backend: {} }
services:
  a: { image: a:1, group: ../etc }
)");
  std::vector<std::string> messages;
  for (const Diagnostic& d : l.diagnostics.items()) messages.push_back(d.message.substr(0, 40));
  EXPECT_EQ(messages, (std::vector<std::string>{"repo name 'Core.Api' is not a DNS-1123 l",
                                                "volume name 'pg_data' is not a DNS-1123 ",
                                                "network name 'Backend' is not a DNS-1123",
                                                "group name '../etc' is not a DNS-1123 la"}));
}

TEST(Validate, DuplicateKeysPointAtTheSecond) {
  auto l = load_and_validate(R"(version: 1
name: shop
services:
  api:
    image: a:1
    image: a:2
)");
  EXPECT_EQ(
      l.text(),
      "fusion.yaml:6:5: error: duplicate key 'image' in service 'api' (first defined on line 5)\n"
      "    6 |     image: a:2\n"
      "      |     ^~~~~\n");
}

TEST(Validate, UndefinedReferencesSuggestDefinedNames) {
  auto l = load_and_validate(R"(version: 1
name: shop
phases: { infra: { order: 1 } }
repos: { core-api: { url: https://example.invalid/core-api.git } }
volumes: { pgdata: {} }
networks: { backend: {} }
services:
  db:
    image: postgres:16
    phase: infr
    volumes: ["pgdta:/data"]
    networks: [backnd]
  api:
    repo: core-apii
    depends_on: [dbb]
)");
  EXPECT_EQ(
      l.text(),
      "fusion.yaml:10:12: error: service 'db' uses undefined phase 'infr'; did you mean 'infra'?\n"
      "   10 |     phase: infr\n"
      "      |            ^~~~\n"
      "fusion.yaml:11:15: error: service 'db' uses undefined volume 'pgdta'; did you mean "
      "'pgdata'?\n"
      "   11 |     volumes: [\"pgdta:/data\"]\n"
      "      |               ^~~~~~~~~~~~~\n"
      "fusion.yaml:12:16: error: service 'db' uses undefined network 'backnd'; did you mean "
      "'backend'?\n"
      "   12 |     networks: [backnd]\n"
      "      |                ^~~~~~\n"
      "fusion.yaml:14:11: error: service 'api' uses undefined repo 'core-apii'; did you mean "
      "'core-api'?\n"
      "   14 |     repo: core-apii\n"
      "      |           ^~~~~~~~~\n"
      "fusion.yaml:15:18: error: service 'api' depends on undefined service 'dbb'; did you mean "
      "'db'?\n"
      "   15 |     depends_on: [dbb]\n"
      "      |                  ^~~\n");
}

TEST(Validate, ServiceNeedsAnImageOrASource) {
  auto l = load_and_validate(R"(version: 1
name: shop
services:
  api:
    ports: ["8080"]
)");
  EXPECT_EQ(
      l.text(),
      "fusion.yaml:4:3: error: service 'api' has neither 'image' nor a source; add 'image', or "
      "'repo' or 'path' to build it from source\n"
      "    4 |   api:\n"
      "      |   ^~~\n");
}

TEST(Validate, HealthyDependencyNeedsAHealthCheck) {
  auto l = load_and_validate(R"(version: 1
name: shop
services:
  db: { image: postgres:16 }
  api: { image: api:1, depends_on: { db: healthy } }
)");
  EXPECT_EQ(l.text(),
            "fusion.yaml:5:42: error: service 'api' waits for 'db' to be healthy, but 'db' has no "
            "health check; add one to 'db' or wait for 'started'\n"
            "    5 |   api: { image: api:1, depends_on: { db: healthy } }\n"
            "      |                                          ^~~~~~~\n");
}

TEST(Validate, UnknownConditionSuggestsOne) {
  auto l = load_and_validate(R"(version: 1
name: shop
services:
  db: { image: postgres:16, health: { tcp: 5432 }, ports: ["5432"] }
  api: { image: api:1, depends_on: { db: service_healthy } }
  web: { image: web:1, depends_on: { db: { condition: helthy } } }
)");
  EXPECT_EQ(l.text(),
            "fusion.yaml:5:42: error: unknown condition 'service_healthy' for dependency 'db' in "
            "service 'api'; fusion calls it 'healthy'\n"
            "    5 |   api: { image: api:1, depends_on: { db: service_healthy } }\n"
            "      |                                          ^~~~~~~~~~~~~~~\n"
            "fusion.yaml:6:55: error: unknown condition 'helthy' for dependency 'db' in service "
            "'web'; did you mean 'healthy'?\n"
            "    6 |   web: { image: web:1, depends_on: { db: { condition: helthy } } }\n"
            "      |                                                       ^~~~~~\n");
}

TEST(Validate, DependencyExcludedByProfiles) {
  auto l = load_and_validate(R"(version: 1
name: shop
services:
  mock: { image: mock:1, profiles: [test] }
  api: { image: api:1, depends_on: [mock] }
  e2e: { image: e2e:1, profiles: [test, ci], depends_on: [mock] }
  unit: { image: unit:1, profiles: [test], depends_on: [mock] }
)");
  EXPECT_EQ(
      l.text(),
      "fusion.yaml:5:37: error: service 'api' depends on 'mock', which only runs with profile "
      "'test'; 'api' runs without it\n"
      "    5 |   api: { image: api:1, depends_on: [mock] }\n"
      "      |                                     ^~~~\n"
      "fusion.yaml:6:59: error: service 'e2e' depends on 'mock', which only runs with profile "
      "'test'; 'e2e' also runs with profile 'ci'\n"
      "    6 |   e2e: { image: e2e:1, profiles: [test, ci], depends_on: [mock] }\n"
      "      |                                                           ^~~~\n");
}

TEST(Validate, HostPortCollisions) {
  auto l = load_and_validate(R"(version: 1
name: shop
services:
  a: { image: a:1, ports: ["8080:80"] }
  b: { image: b:1, ports: ["127.0.0.1:8080:81", "8081:81"] }
  c: { image: c:1, ports: ["8080:80/udp"] }
  d: { image: d:1, ports: ["9000:1"], profiles: [x] }
  e: { image: e:1, ports: ["9000:1"], profiles: [y] }
)");
  EXPECT_EQ(
      l.text(),
      "fusion.yaml:5:28: error: host port 8080 of service 'b' is already published by service "
      "'a' (line 4)\n"
      "    5 |   b: { image: b:1, ports: [\"127.0.0.1:8080:81\", \"8081:81\"] }\n"
      "      |                            ^~~~~~~~~~~~~~~~~~~\n");
}

TEST(Validate, HealthChecksProbeAnyPortButNeedToKnowWhichOne) {
  auto l = load_and_validate(R"(version: 1
name: shop
services:
  a: { image: a:1, ports: ["8080"], health: { http: /healthz, port: 9090 } }
  b: { image: b:1, health: { http: /healthz } }
  c: { image: c:1, ports: ["80"], expose: ["443"], health: { tcp: 8443 } }
  d: { image: d:1, ports: ["80"], expose: ["443", "53/udp"], health: { http: /x } }
  e: { image: e:1, expose: ["9000", "9000"], health: { http: /x } }
)");
  EXPECT_EQ(l.text(),
            "fusion.yaml:5:28: error: the http health check of service 'b' needs a 'port': the "
            "service has no tcp port in 'ports' and 'expose'\n"
            "    5 |   b: { image: b:1, health: { http: /healthz } }\n"
            "      |                            ^\n"
            "fusion.yaml:7:70: error: the http health check of service 'd' needs a 'port': the "
            "service has several tcp ports in 'ports' and 'expose'\n"
            "    7 |   d: { image: d:1, ports: [\"80\"], expose: [\"443\", \"53/udp\"], health: "
            "{ http: /x } }\n"
            "      |" +
                std::string(70, ' ') + "^\n");
  EXPECT_EQ(probed_port(*l.registry.find_service("e")), 9000);
}

TEST(Validate, HealthCheckForms) {
  auto l = load_and_validate(R"(version: 1
name: shop
services:
  a: { image: a:1, health: { interval: 2s } }
  b: { image: b:1, health: { exec: [true], container: true } }
  c: { image: c:1, health: { exec: "pg_isready -U 'app", interval: 2 } }
)");
  EXPECT_EQ(
      l.text(),
      "fusion.yaml:4:28: error: the health check of service 'a' needs one of http, tcp, exec or "
      "container\n"
      "    4 |   a: { image: a:1, health: { interval: 2s } }\n"
      "      |                            ^\n"
      "fusion.yaml:5:44: error: the health check of service 'b' has both 'exec' and "
      "'container'; choose one\n"
      "    5 |   b: { image: b:1, health: { exec: [true], container: true } }\n"
      "      |                                            ^~~~~~~~~\n"
      "fusion.yaml:6:36: error: unterminated single quote in 'exec' of the health check of "
      "service 'c'\n"
      "    6 |   c: { image: c:1, health: { exec: \"pg_isready -U 'app\", interval: 2 } }\n"
      "      |                                    ^~~~~~~~~~~~~~~~~~~~\n"
      "fusion.yaml:6:68: error: invalid duration '2': missing unit h, m, s or ms (write e.g. "
      "90s, 1m30s, 250ms) for 'interval' of the health check of service 'c'\n"
      "    6 |   c: { image: c:1, health: { exec: \"pg_isready -U 'app\", interval: 2 } }\n"
      "      |                                                                    ^\n");
}

TEST(Validate, VersionMustBeSupported) {
  EXPECT_EQ(load_and_validate("version: 2\nname: shop\n").text(),
            "fusion.yaml:1:10: error: unsupported version 2; this fusion reads version 1\n"
            "    1 | version: 2\n"
            "      |          ^\n");
  EXPECT_EQ(load_and_validate("name: shop\n").text(),
            "fusion.yaml:1:1: error: missing 'version'; add 'version: 1'\n"
            "    1 | name: shop\n"
            "      | ^\n");
}

TEST(Validate, MalformedYamlReportsTheParsersPosition) {
  auto l = load_and_validate("version: 1\nname: shop\nservices:\n  api: { image: a:1\n");
  EXPECT_EQ(l.text(),
            "fusion.yaml:5:1: error: invalid YAML: did not find expected ',' or '}' (while parsing "
            "a flow mapping started on line 4)\n");
  l = load_and_validate("version: 1\nservices: [a\n  b: c\n");
  ASSERT_EQ(l.diagnostics.items().size(), 1u);
  EXPECT_EQ(l.diagnostics.items()[0].pos.line, 3u);
}

TEST(Validate, ResourcesAndPortsAreParsedStrictly) {
  auto l = load_and_validate(R"(version: 1
name: shop
services:
  a: { image: a:1, resources: { memory: 512MB, cpus: 0.0001 }, ports: ["8000-8010"] }
)");
  EXPECT_EQ(
      l.text(),
      "fusion.yaml:4:41: error: invalid memory '512MB': unknown suffix 'MB' (write e.g. 512Mi, "
      "1Gi, 1G) in service 'a'\n"
      "    4 |   a: { image: a:1, resources: { memory: 512MB, cpus: 0.0001 }, ports: "
      "[\"8000-8010\"] }\n"
      "      |                                         ^~~~~\n"
      "fusion.yaml:4:54: error: invalid cpus '0.0001': more precise than a millicore (write "
      "e.g. 0.5, 2 or 500m) in service 'a'\n"
      "    4 |   a: { image: a:1, resources: { memory: 512MB, cpus: 0.0001 }, ports: "
      "[\"8000-8010\"] }\n"
      "      |                                                      ^~~~~~\n"
      "fusion.yaml:4:72: error: invalid port '8000-8010': port ranges are not supported in "
      "service 'a'\n"
      "    4 |   a: { image: a:1, resources: { memory: 512MB, cpus: 0.0001 }, ports: "
      "[\"8000-8010\"] }\n"
      "      |                                                                        "
      "^~~~~~~~~~~\n");
}

TEST(Validate, SecretsAndInterpolation) {
  auto l = load_and_validate(R"(version: 1
name: shop
services:
  a:
    image: a:1
    env:
      PASSWORD: { secret: Postgres_Password }
      URL: "postgres://app:${secret:pg password}@db/${DB"
)");
  EXPECT_EQ(l.text(),
            "fusion.yaml:7:27: error: secret name 'Postgres_Password' is not a DNS-1123 label: use "
            "1-63 lowercase letters, digits and '-', starting and ending with a letter or digit\n"
            "    7 |       PASSWORD: { secret: Postgres_Password }\n"
            "      |                           ^~~~~~~~~~~~~~~~~\n"
            "fusion.yaml:8:12: error: unterminated '${'; close it with '}' or write '$$' for a "
            "dollar in env 'URL' of service 'a'\n"
            "    8 |       URL: \"postgres://app:${secret:pg password}@db/${DB\"\n"
            "      |            ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~\n"
            "fusion.yaml:8:12: error: secret name 'pg password' is not a DNS-1123 label: use 1-63 "
            "lowercase letters, digits and '-', starting and ending with a letter or digit\n"
            "    8 |       URL: \"postgres://app:${secret:pg password}@db/${DB\"\n"
            "      |            ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~\n");
}

TEST(Validate, DuplicateSubdomains) {
  auto l = load_and_validate(R"(version: 1
name: shop
services:
  a: { image: a:1, subdomain: api }
  b: { image: b:1, subdomain: api }
)");
  EXPECT_EQ(
      l.text(),
      "fusion.yaml:5:31: error: subdomain 'api' of service 'b' is already used by service 'a'\n"
      "    5 |   b: { image: b:1, subdomain: api }\n"
      "      |                               ^~~\n");
}

TEST(Validate, EveryErrorAtOnceSortedByPosition) {
  auto l = load_and_validate(R"(version: 3
name: shop
services:
  b: { image: b:1, depends_on: [zzz] }
  a: { }
)");
  ASSERT_EQ(l.diagnostics.items().size(), 3u);
  EXPECT_EQ(l.diagnostics.items()[0].pos.line, 1u);
  EXPECT_EQ(l.diagnostics.items()[1].pos.line, 4u);
  EXPECT_EQ(l.diagnostics.items()[2].pos.line, 5u);
}

TEST(Validate, NetworkAliasesNameOneServiceOnly) {
  auto l = load_and_validate(R"(version: 1
name: shop
networks: { backend: {}, edge: {} }
services:
  api: { image: a:1, networks: { backend: { aliases: [web, core] }, edge: { aliases: [core] } } }
  web: { image: w:1, networks: { backend: { aliases: [core] } } }
)");
  EXPECT_EQ(l.text(),
            "fusion.yaml:5:55: error: network alias 'web' of service 'api' is the name of service "
            "'web'; choose another alias\n"
            "    5 |   api: { image: a:1, networks: { backend: { aliases: [web, core] }, edge: { "
            "aliases: [core] } } }\n"
            "      |                                                       ^~~\n"
            "fusion.yaml:6:55: error: network alias 'core' of service 'web' is already an alias of "
            "service 'api'\n"
            "    6 |   web: { image: w:1, networks: { backend: { aliases: [core] } } }\n"
            "      |                                                       ^~~~\n");
}

}  // namespace
}  // namespace fusion
