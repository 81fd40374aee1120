#!/usr/bin/env bash
# Copies the CRDs that fabric8's crd-generator writes at build time into the Helm chart.
# Run it from anywhere after changing the CRD classes in kube/src/main/java/io/kubeai/kube/crd/;
# chart-tests (CrdsTest) fails until the chart's copies equal the generated ones.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
./mvnw -q -B -pl kube -am package -DskipTests
generated=kube/target/classes/META-INF/fabric8
chart=charts/kubeai/crds
rm -f "$chart"/*.yaml
for f in "$generated"/*-v1.yml; do
  name="$(basename "$f" -v1.yml)"
  cp "$f" "$chart/$name.yaml"
  echo "$chart/$name.yaml"
done
