#include "detect/backing.h"

#include <algorithm>
#include <map>

namespace fusion {

const std::vector<BackingService>& backing_services() {
  static const std::vector<BackingService> services = {
      {"postgres", "postgres:16.11", "5432",
       "{ exec: [pg_isready, -U, app], interval: 2s, retries: 30, start_period: 5s }",
       "{ POSTGRES_USER: app, POSTGRES_DB: app, POSTGRES_PASSWORD: { secret: postgres-password } }",
       "postgres-data:/var/lib/postgresql/data",
       "postgres://app:${secret:postgres-password}@postgres:5432/app"},
      {"mysql", "mysql:8.4.3", "3306",
       "{ exec: [mysqladmin, ping, -h, 127.0.0.1], interval: 2s, retries: 30, start_period: 10s }",
       "{ MYSQL_DATABASE: app, MYSQL_USER: app, MYSQL_PASSWORD: { secret: mysql-password }, "
       "MYSQL_ROOT_PASSWORD: { secret: mysql-root-password } }",
       "mysql-data:/var/lib/mysql", "mysql://app:${secret:mysql-password}@mysql:3306/app"},
      {"redis", "redis:7.4.1", "6379", "{ exec: redis-cli ping, interval: 1s, retries: 20 }", "",
       "", "redis://redis:6379/0"},
      {"rabbitmq", "rabbitmq:3.13.7-management", "5672",
       "{ exec: [rabbitmq-diagnostics, -q, ping], interval: 3s, retries: 30, start_period: 10s }",
       "", "", "amqp://guest:guest@rabbitmq:5672/"},
      {"kafka", "apache/kafka:3.9.0", "9092",
       "{ tcp: 9092, interval: 2s, retries: 30, start_period: 10s }", "", "", "kafka:9092"},
      {"mongo", "mongo:8.0.3", "27017",
       "{ exec: [mongosh, --quiet, --eval, \"db.runCommand({ping: 1})\"], interval: 2s, retries: "
       "30 "
       "}",
       "", "mongo-data:/data/db", "mongodb://mongo:27017/app"},
  };
  return services;
}

const BackingService* find_backing_service(std::string_view name) {
  const auto& all = backing_services();
  auto it =
      std::find_if(all.begin(), all.end(), [&](const BackingService& s) { return s.name == name; });
  return it == all.end() ? nullptr : &*it;
}

std::optional<std::string_view> backing_for_package(std::string_view package,
                                                    std::string_view declaration) {
  // Client libraries by ecosystem: PyPI, npm, Go modules, crates, Maven artifacts, gems, NuGet.
  static const std::map<std::string_view, std::string_view> clients = {
      {"psycopg", "postgres"},
      {"psycopg2", "postgres"},
      {"psycopg2-binary", "postgres"},
      {"asyncpg", "postgres"},
      {"pg", "postgres"},
      {"postgres", "postgres"},
      {"pg-promise", "postgres"},
      {"github.com/lib/pq", "postgres"},
      {"github.com/jackc/pgx/v4", "postgres"},
      {"github.com/jackc/pgx/v5", "postgres"},
      {"tokio-postgres", "postgres"},
      {"postgresql", "postgres"},
      {"Npgsql", "postgres"},
      {"Npgsql.EntityFrameworkCore.PostgreSQL", "postgres"},
      {"pymysql", "mysql"},
      {"mysqlclient", "mysql"},
      {"mysql2", "mysql"},
      {"mysql", "mysql"},
      {"github.com/go-sql-driver/mysql", "mysql"},
      {"mysql-connector-j", "mysql"},
      {"mysql-connector-java", "mysql"},
      {"MySqlConnector", "mysql"},
      {"redis", "redis"},
      {"ioredis", "redis"},
      {"github.com/redis/go-redis/v9", "redis"},
      {"github.com/go-redis/redis/v8", "redis"},
      {"spring-boot-starter-data-redis", "redis"},
      {"StackExchange.Redis", "redis"},
      {"sidekiq", "redis"},
      {"kafka-python", "kafka"},
      {"confluent-kafka", "kafka"},
      {"aiokafka", "kafka"},
      {"kafkajs", "kafka"},
      {"github.com/segmentio/kafka-go", "kafka"},
      {"github.com/IBM/sarama", "kafka"},
      {"github.com/confluentinc/confluent-kafka-go/v2", "kafka"},
      {"rdkafka", "kafka"},
      {"spring-kafka", "kafka"},
      {"ruby-kafka", "kafka"},
      {"Confluent.Kafka", "kafka"},
      {"pika", "rabbitmq"},
      {"aio-pika", "rabbitmq"},
      {"amqplib", "rabbitmq"},
      {"github.com/rabbitmq/amqp091-go", "rabbitmq"},
      {"lapin", "rabbitmq"},
      {"spring-boot-starter-amqp", "rabbitmq"},
      {"bunny", "rabbitmq"},
      {"RabbitMQ.Client", "rabbitmq"},
      {"pymongo", "mongo"},
      {"motor", "mongo"},
      {"mongodb", "mongo"},
      {"mongoose", "mongo"},
      {"go.mongodb.org/mongo-driver", "mongo"},
      {"spring-boot-starter-data-mongodb", "mongo"},
      {"mongo", "mongo"},
      {"MongoDB.Driver", "mongo"},
  };
  // Libraries that talk to one of several services say which in their features or extras.
  if (package == "sqlx" || package == "diesel" || package == "sea-orm" || package == "celery") {
    for (std::string_view db : {"postgres", "mysql", "redis", "rabbitmq"}) {
      if (declaration.find(db) != std::string_view::npos) return db;
    }
    return std::nullopt;
  }
  auto it = clients.find(package);
  if (it == clients.end()) return std::nullopt;
  return it->second;
}

}  // namespace fusion
