#include "util/quantity.h"

#include <gtest/gtest.h>

namespace fusion {
namespace {

TEST(ParseMemory, BinaryAndDecimalSuffixes) {
  EXPECT_EQ(parse_memory("512Mi").value(), 512ull << 20);
  EXPECT_EQ(parse_memory("1G").value(), 1'000'000'000ull);
  EXPECT_EQ(parse_memory("64Ki").value(), 65'536ull);
  EXPECT_EQ(parse_memory("1048576").value(), 1'048'576ull);
}

TEST(ParseMemory, RejectsWithAReason) {
  EXPECT_EQ(parse_memory("512MB").error(),
            "invalid memory '512MB': unknown suffix 'MB' (write e.g. 512Mi, 1Gi, 1G)");
  EXPECT_FALSE(parse_memory("").ok());
  EXPECT_FALSE(parse_memory("0Mi").ok());
  EXPECT_FALSE(parse_memory("1.5Gi").ok());
  EXPECT_FALSE(parse_memory("99999999999999999999").ok());
  EXPECT_FALSE(parse_memory("99999999999Ti").ok());
}

TEST(ParseCpus, CoresAndMillicores) {
  EXPECT_EQ(parse_cpus("0.5").value(), 500u);
  EXPECT_EQ(parse_cpus("2").value(), 2000u);
  EXPECT_EQ(parse_cpus("500m").value(), 500u);
  EXPECT_EQ(parse_cpus("1.25").value(), 1250u);
}

TEST(ParseCpus, RejectsWithAReason) {
  EXPECT_EQ(parse_cpus("0.0001").error(),
            "invalid cpus '0.0001': more precise than a millicore (write e.g. 0.5, 2 or 500m)");
  EXPECT_FALSE(parse_cpus("0").ok());
  EXPECT_FALSE(parse_cpus(".5").ok());
  EXPECT_FALSE(parse_cpus("1.").ok());
  EXPECT_FALSE(parse_cpus("half").ok());
  EXPECT_FALSE(parse_cpus("2cores").ok());
}

TEST(FormatQuantities, UseKubernetesSpelling) {
  EXPECT_EQ(format_memory(512ull << 20), "512Mi");
  EXPECT_EQ(format_memory(1'000'000'000ull), "1000000000");
  EXPECT_EQ(format_cpus(500), "500m");
  EXPECT_EQ(format_cpus(2000), "2");
}

}  // namespace
TEST(ParseDockerMemory, BinaryWithOptionalIAndB) {
  EXPECT_EQ(parse_docker_memory("512m").value(), 512u << 20);
  EXPECT_EQ(parse_docker_memory("1GB").value(), 1u << 30);
  EXPECT_EQ(parse_docker_memory("64Mi").value(), 64u << 20);
  EXPECT_EQ(parse_docker_memory("1048576").value(), 1u << 20);
  EXPECT_FALSE(parse_docker_memory("lots"));
  EXPECT_FALSE(parse_docker_memory("8x"));
  EXPECT_EQ(parse_docker_memory("99999999999t").error(),
            "invalid size '99999999999t' (write e.g. 64m, 1g or 512Mi)");
}

}  // namespace fusion
