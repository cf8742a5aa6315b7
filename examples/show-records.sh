#!/usr/bin/env bash
# Prints the data of every record of a stream, shard by shard, read back through the bridge's
# Kinesis-compatible endpoint (bridge.endpoint.*, http://127.0.0.1:4567 by default) with the AWS CLI v2.
#   examples/show-records.sh STREAM [ENDPOINT]
set -euo pipefail
stream="${1:?usage: $0 STREAM [ENDPOINT]}"
endpoint="${2:-http://127.0.0.1:4567}"
# the endpoint checks no signature, but the CLI wants credentials and a region
export AWS_ACCESS_KEY_ID="${AWS_ACCESS_KEY_ID:-local}" AWS_SECRET_ACCESS_KEY="${AWS_SECRET_ACCESS_KEY:-local}"
export AWS_DEFAULT_REGION="${AWS_DEFAULT_REGION:-us-east-1}" AWS_PAGER=""
aws_cli="${AWS_CLI:-aws}"
version=$("$aws_cli" --version 2>&1 || true)
case "$version" in
  aws-cli/2.*) ;;
  *) echo "show-records.sh: needs the AWS CLI v2, but '$aws_cli --version' says: ${version:-nothing}" >&2
     echo "  (v1 sends --data of put-record as the base64 text itself); put v2 first on PATH or set AWS_CLI=/path/to/aws" >&2
     exit 2 ;;
esac
for shard in $("$aws_cli" --endpoint-url "$endpoint" kinesis list-shards --stream-name "$stream" \
                 --query 'Shards[].ShardId' --output text); do
  iterator=$("$aws_cli" --endpoint-url "$endpoint" kinesis get-shard-iterator --stream-name "$stream" \
               --shard-id "$shard" --shard-iterator-type TRIM_HORIZON --query ShardIterator --output text)
  "$aws_cli" --endpoint-url "$endpoint" kinesis get-records --shard-iterator "$iterator" --limit 10000 \
      --query 'Records[].[PartitionKey,Data]' --output text |
    while IFS=$'\t' read -r key data; do
      printf '%s\t%s\t%s\n' "$shard" "$key" "$(printf '%s' "$data" | base64 -d)"
    done
done
