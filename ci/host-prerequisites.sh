#!/usr/bin/env bash
# Host prerequisites for ztunnel and istio-cni on a CI runner that starts k3s in Docker (docs/clusters.md,
# "Requirements for k3s mode"): the kernel modules they program iptables with (a container cannot load its own) and
# inotify limits. A module that cannot be loaded is reported, not fatal: it may be built in; `meshproof doctor` decides.
set -uo pipefail
for m in br_netfilter iptable_mangle iptable_nat xt_REDIRECT xt_conntrack xt_owner xt_tcpudp xt_multiport \
         xt_connmark xt_mark ip_set ip_set_hash_ip \
         bridge ip_tables nf_conntrack nf_nat nf_nat_redirect x_tables \
         ip6_tables ip6table_mangle ip6table_nat; do
  sudo modprobe "$m" || echo "cannot load $m"
done
sudo sysctl -w fs.inotify.max_user_instances=512 fs.inotify.max_user_watches=524288
