# Local services for the quick start and CI; sourced, not run.
# ensure_build_tools: Java 17+, Maven, the age tool and PgBouncer (installed with apt when missing; the tests decrypt
#   with age and dump through PgBouncer, which they start themselves).
# ensure_browser: Chromium and its driver (Debian's chromium and chromium-driver), which the console's tests drive.
# ensure_postgres: PostgreSQL on 127.0.0.1:5432 with trust auth for "postgres" (installed with apt when missing).
# ensure_s3proxy PORT DIR: S3Proxy (a real S3 API server) on 127.0.0.1:PORT storing under DIR.

ensure_build_tools() {
  if command -v java >/dev/null && command -v mvn >/dev/null && command -v age >/dev/null \
      && command -v age-keygen >/dev/null && [ -x /usr/sbin/pgbouncer ]; then
    return 0
  fi
  echo "Installing Java, Maven, age and PgBouncer with apt-get..." >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq openjdk-17-jdk-headless maven age pgbouncer >&2
}

ensure_browser() {
  if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
    return 0
  fi
  echo "Installing Chromium and its driver with apt-get..." >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq chromium chromium-driver >&2
}

ensure_postgres() {
  if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
    echo "Installing PostgreSQL with apt-get..." >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq postgresql >&2
  fi
  local version
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  local hba="/etc/postgresql/$version/main/pg_hba.conf"
  # The tests and the quick start connect as postgres over TCP without a password, as on the prepared machines.
  if ! grep -q '^host all all 127.0.0.1/32 trust' "$hba"; then
    sed -i '1i host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust\nlocal all all trust' "$hba"
  fi
  # One role that must give its password, for the test of a wrong password (first match wins, so it goes on top).
  if ! grep -q 'database_dump_password_check' "$hba"; then
    sed -i '1i host all database_dump_password_check 127.0.0.1/32 scram-sha-256' "$hba"
  fi
  if pg_ctlcluster --skip-systemctl-redirect "$version" main status >/dev/null 2>&1; then
    pg_ctlcluster --skip-systemctl-redirect "$version" main reload >&2
  else
    pg_ctlcluster --skip-systemctl-redirect "$version" main start >&2
  fi
  for _ in $(seq 1 60); do
    pg_isready -q -h 127.0.0.1 -p 5432 && return 0
    sleep 1
  done
  echo "PostgreSQL did not start on 127.0.0.1:5432" >&2
  return 1
}

ensure_s3proxy() {
  local port=$1 dir=$2 jar=target/s3proxy/s3proxy.jar
  if curl -s -o /dev/null "http://127.0.0.1:$port/"; then
    return 0
  fi
  [ -f "$jar" ] || mvn -q -B -Dstyle.color=never generate-test-resources >&2
  mkdir -p "$dir/data"
  cat > "$dir/s3proxy.conf" <<CONF
s3proxy.endpoint=http://127.0.0.1:$port
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=local-access-key
s3proxy.credential=local-secret-key
jclouds.provider=filesystem-nio2
jclouds.filesystem.basedir=$dir/data
CONF
  nohup java -Xmx512m -jar "$jar" --properties "$dir/s3proxy.conf" > "$dir/s3proxy.log" 2>&1 &
  for _ in $(seq 1 60); do
    curl -s -o /dev/null "http://127.0.0.1:$port/" && return 0
    sleep 1
  done
  echo "S3Proxy did not start on 127.0.0.1:$port (see $dir/s3proxy.log)" >&2
  return 1
}
