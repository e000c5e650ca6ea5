#!/bin/sh
# A stand-in API: serves /healthz on 8080 with busybox httpd.
mkdir -p /tmp/www && echo ok > /tmp/www/healthz
exec httpd -f -p 8080 -h /tmp/www
