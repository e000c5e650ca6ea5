#include "registry/port.h"

#include <gtest/gtest.h>

namespace fusion {
namespace {

TEST(ParsePort, ComposeShortForms) {
  PortMapping p = parse_port("8080").value();
  EXPECT_EQ(p.container_port, 8080);
  EXPECT_EQ(p.host_port, 0);
  p = parse_port("18080:8080").value();
  EXPECT_EQ(p.host_port, 18080);
  EXPECT_EQ(p.container_port, 8080);
  p = parse_port("127.0.0.1:5432:5432").value();
  EXPECT_EQ(p.host_ip, "127.0.0.1");
  EXPECT_EQ(p.host_port, 5432);
  p = parse_port("53/udp").value();
  EXPECT_EQ(p.protocol, Protocol::kUdp);
  p = parse_port("[::1]:5353:53/udp").value();
  EXPECT_EQ(p.host_ip, "::1");
  EXPECT_EQ(p.host_port, 5353);
}

TEST(ParsePort, RejectsWithAReason) {
  EXPECT_EQ(parse_port("8000-8010").error(),
            "invalid port '8000-8010': port ranges are not supported");
  EXPECT_EQ(parse_port("70000").error(),
            "invalid port '70000': expected a port number from 1 to 65535");
  EXPECT_EQ(parse_port("80/sctp").error(), "invalid port '80/sctp': protocol must be tcp or udp");
  EXPECT_FALSE(parse_port("").ok());
  EXPECT_FALSE(parse_port("a:b:c:d").ok());
  EXPECT_FALSE(parse_port("0").ok());
  EXPECT_FALSE(parse_port("[::1:80").ok());
}

TEST(FormatPort, RoundTrips) {
  for (const char* text : {"8080", "80:8080", "127.0.0.1:5432:5432", "53/udp", "[::1]:53:53/udp"}) {
    EXPECT_EQ(format_port(parse_port(text).value()), text);
  }
}

TEST(HostPortsCollide, SamePortOverlappingInterfaces) {
  auto p = [](const char* t) { return parse_port(t).value(); };
  EXPECT_TRUE(host_ports_collide(p("8080:80"), p("8080:81")));
  EXPECT_TRUE(host_ports_collide(p("8080:80"), p("127.0.0.1:8080:80")));
  EXPECT_FALSE(host_ports_collide(p("127.0.0.1:8080:80"), p("127.0.0.2:8080:80")));
  EXPECT_FALSE(host_ports_collide(p("8080:80"), p("8080:80/udp")));
  EXPECT_FALSE(host_ports_collide(p("80"), p("80")));  // ephemeral host ports never collide
}

}  // namespace
}  // namespace fusion
