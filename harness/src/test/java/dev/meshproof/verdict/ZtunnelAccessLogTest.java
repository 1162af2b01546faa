package dev.meshproof.verdict;

import dev.meshproof.evidence.Evidence;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import static dev.meshproof.verdict.EvidenceBuilder.ZTUNNEL;
import static dev.meshproof.verdict.EvidenceBuilder.edit;
import static dev.meshproof.verdict.EvidenceBuilder.evidence;
import static dev.meshproof.verdict.EvidenceBuilder.pod;
import static dev.meshproof.verdict.EvidenceBuilder.upstream;
import static dev.meshproof.verdict.EvidenceBuilder.upstreamLine;
import static org.assertj.core.api.Assertions.assertThat;

/** {@link ZtunnelAccessLog} on the real ztunnel log samples of /upstream; failing variants are minimal edits of them. */
class ZtunnelAccessLogTest {
    private static final String TROUBLESHOOT = "ztunnel-access-log-current-troubleshoot.txt";
    private static final String DENY = "ztunnel-access-log-assembled-deny-1.29.6.txt";
    private static final String CURL_IDENTITY = " src.identity=\"spiffe://cluster.local/ns/default/sa/curl\"";
    private static final String PRODUCTPAGE_IDENTITY = " dst.identity=\"spiffe://cluster.local/ns/default/sa/bookinfo-productpage\"";

    @Nested
    class MutualTls {

        /**
         * Troubleshoot sample line 1 is the inbound record of curl (ns default, sa curl) → productpage. Its
         * dst.identity says namespace {@code default} while its dst.namespace says {@code productpage} (the docs page's
         * cluster is inconsistent). The identity decides the mTLS proof, so the server's facts here use the identity's
         * namespace, {@code default}.
         */
        private EvidenceBuilder curlToProductpageByIdentity() {
            return evidence()
                    .workload("client", "default", "curl", pod("curl-7656cf8794-r7zb9", "10.244.1.12"))
                    .workload("echo", "default", "bookinfo-productpage", pod("productpage-v1-87d54dd59-fn6vw", "10.244.1.10"));
        }

        /**
         * The same pair, but with the server's namespace as the record's dst.namespace ({@code productpage}): a record
         * without identities can only be matched by namespace and pod name.
         */
        private EvidenceBuilder curlToProductpageByPodName() {
            return evidence()
                    .workload("client", "default", "curl", pod("curl-7656cf8794-r7zb9", "10.244.1.12"))
                    .workload("echo", "productpage", "bookinfo-productpage", pod("productpage-v1-87d54dd59-fn6vw", "10.244.1.10"));
        }

        @Test
        void passOnTheCurrentFormatInboundRecordOfThePair() {
            Evidence e = curlToProductpageByIdentity().log(ZTUNNEL, upstream(TROUBLESHOOT)).build();

            Verdict v = ZtunnelAccessLog.mutualTls(e, "client", "echo");

            assertThat(v.status()).isEqualTo(Verdict.Status.PASS);
            // line 1 (inbound) counts; line 2 (the outbound record of the same connection) does not
            assertThat(v.line()).contains("1 inbound connection(s)").contains("/ns/default/sa/curl");
        }

        @Test
        void passOnTheTabSeparatedInboundRecord() {
            // Edit of verify-mtls-joined (the exact 1.29.6 TAB layout): direction "outbound" → "inbound".
            String inbound = edit(upstream("ztunnel-access-log-current-verify-mtls-joined.txt"), "direction=\"outbound\"", "direction=\"inbound\"");
            Evidence e = evidence()
                    .workload("client", "default", "sleep", pod("sleep-7656cf8794-6lsm4", "10.42.0.9"))
                    .workload("echo", "default", "bookinfo-details", pod("details-v1-857849f66-ft8wx", "10.42.0.5"))
                    .log(ZTUNNEL, inbound).build();

            assertThat(ZtunnelAccessLog.mutualTls(e, "client", "echo").status()).isEqualTo(Verdict.Status.PASS);
        }

        @Test
        void failWhenThePairsInboundRecordLacksSrcIdentity() {
            // Edit of troubleshoot line 1: both identity fields removed (what ztunnel writes for a non-mTLS connection).
            String plaintext = edit(edit(upstreamLine(TROUBLESHOOT, 1), CURL_IDENTITY, ""), PRODUCTPAGE_IDENTITY, "");
            Evidence e = curlToProductpageByPodName().log(ZTUNNEL, plaintext + "\n").build();

            Verdict v = ZtunnelAccessLog.mutualTls(e, "client", "echo");

            assertThat(v.status()).isEqualTo(Verdict.Status.FAIL);
            assertThat(v.line()).contains("1 inbound connection(s)").contains("without src.identity")
                    .contains(ZTUNNEL).contains("2024-05-04T09:59:05.028709Z");
        }

        @Test
        void failWhenOnlySrcIdentityIsMissing() {
            // Edit of troubleshoot line 1: src.identity removed, dst.identity kept.
            String plaintext = edit(upstreamLine(TROUBLESHOOT, 1), CURL_IDENTITY, "");
            Evidence e = curlToProductpageByPodName().log(ZTUNNEL, plaintext + "\n").build();

            assertThat(ZtunnelAccessLog.mutualTls(e, "client", "echo").status()).isEqualTo(Verdict.Status.FAIL);
        }

        @Test
        void aPlaintextRecordOfTheClientsNamespaceButAnotherPodDoesNotFailThePair() {
            // Same edit as above, but the facts' client pod is another pod of namespace default.
            String plaintext = edit(edit(upstreamLine(TROUBLESHOOT, 1), CURL_IDENTITY, ""), PRODUCTPAGE_IDENTITY, "");
            Evidence e = evidence()
                    .workload("client", "default", "curl", pod("curl-7656cf8794-zzzzz", "10.244.1.99"))
                    .workload("echo", "productpage", "bookinfo-productpage", pod("productpage-v1-87d54dd59-fn6vw", "10.244.1.10"))
                    .log(ZTUNNEL, plaintext + "\n").build();

            assertThat(ZtunnelAccessLog.mutualTls(e, "client", "echo").status()).isEqualTo(Verdict.Status.INCONCLUSIVE);
        }

        /**
         * The pair's mTLS record (troubleshoot line 1) and, in the same window, a plaintext record of the same pair
         * (line 1 with its identity fields removed) that ended with an I/O error rather than a policy rejection
         * (level "error" and an {@code error="…"} field appended; the error text is illustrative, no upstream sample
         * has one). ztunnel admitted a plaintext connection of the pair: the judge must not PASS.
         */
        @Test
        void aPlaintextRecordOfThePairThatEndedInAnIoErrorIsNotIgnored() {
            String line1 = upstreamLine(TROUBLESHOOT, 1);
            String plaintext = edit(edit(edit(line1, CURL_IDENTITY, ""), PRODUCTPAGE_IDENTITY, ""), " info    access", " error    access")
                    + " error=\"io error: Connection reset by peer (os error 104)\"";
            // Facts: server namespace "productpage" (dst.namespace), so the plaintext record is matched by namespace and
            // pod name; the mTLS record then needs a dst.identity of that namespace (edit of line 1).
            String mtls = edit(line1, "spiffe://cluster.local/ns/default/sa/bookinfo-productpage", "spiffe://cluster.local/ns/productpage/sa/bookinfo-productpage");
            Evidence e = curlToProductpageByPodName().log(ZTUNNEL, mtls + "\n" + plaintext + "\n").build();

            assertThat(ZtunnelAccessLog.mutualTls(e, "client", "echo").status()).isEqualTo(Verdict.Status.FAIL);
        }

        @Test
        void inconclusiveWithNoLogs() {
            Verdict v = ZtunnelAccessLog.mutualTls(curlToProductpageByIdentity().build(), "client", "echo");

            assertThat(v.status()).isEqualTo(Verdict.Status.INCONCLUSIVE);
            assertThat(v.line()).contains("in 0 ztunnel log(s)");
        }

        @Test
        void inconclusiveWhenTheLogHasOnlyOtherWorkloads() {
            Evidence e = evidence()
                    .workload("client", "default", "sleep", pod("sleep-7656cf8794-6lsm4", "10.244.1.13"))
                    .workload("echo", "default", "bookinfo-productpage", pod("productpage-v1-87d54dd59-fn6vw", "10.244.1.10"))
                    .log(ZTUNNEL, upstream(TROUBLESHOOT)).build();

            assertThat(ZtunnelAccessLog.mutualTls(e, "client", "echo").status()).isEqualTo(Verdict.Status.INCONCLUSIVE);
        }

        @Test
        void outboundOnlyRecordsDoNotPass() {
            Evidence verifyMtls = evidence()
                    .workload("client", "default", "sleep", pod("sleep-7656cf8794-6lsm4", "10.42.0.9"))
                    .workload("echo", "default", "bookinfo-details", pod("details-v1-857849f66-ft8wx", "10.42.0.5"))
                    .log(ZTUNNEL, upstream("ztunnel-access-log-current-verify-mtls.txt"))
                    .log("istio-system/ztunnel-b2c3d", upstream("ztunnel-access-log-current-verify-mtls-joined.txt")).build();
            Evidence troubleshootLine2 = curlToProductpageByIdentity().log(ZTUNNEL, upstreamLine(TROUBLESHOOT, 2) + "\n").build();

            assertThat(ZtunnelAccessLog.mutualTls(verifyMtls, "client", "echo").status()).isEqualTo(Verdict.Status.INCONCLUSIVE);
            assertThat(ZtunnelAccessLog.mutualTls(troubleshootLine2, "client", "echo").status()).isEqualTo(Verdict.Status.INCONCLUSIVE);
        }

        @Test
        void anInboundRecordWithAPolicyRejectionIsNotMutualTlsProof() {
            // Deny line 2: notsleep → httpbin over HBONE, both identities present, but the connection was rejected.
            Evidence e = evidence()
                    .workload("client", "ambient-demo", "notsleep", pod("notsleep-bb6696574-r4xjl", "10.240.2.4"))
                    .workload("echo", "ambient-demo", "httpbin", pod("httpbin-648cd984f8-2q9bn", "10.240.1.5"))
                    .log(ZTUNNEL, upstream(DENY)).build();

            assertThat(ZtunnelAccessLog.mutualTls(e, "client", "echo").status()).isEqualTo(Verdict.Status.INCONCLUSIVE);
        }

        @Test
        void legacyInboundConnectWithTheClientsPeerIdToTheServerPodPasses() {
            Evidence e = evidence()
                    .workload("client", "ambient-demo", "sleep", pod("sleep-6d6b49dbcc-n9v8h", "10.240.2.16"))
                    .workload("echo", "ambient-demo", "httpbin", pod("httpbin-648cd984f8-7vg8w", "10.240.1.11"))
                    .log(ZTUNNEL, upstream("ztunnel-access-log-legacy-pre-1.22-inbound.txt")).build();

            Verdict v = ZtunnelAccessLog.mutualTls(e, "client", "echo");

            assertThat(v.status()).isEqualTo(Verdict.Status.PASS);
            assertThat(v.line()).contains("2 inbound connection(s)");
        }

        @Test
        void legacyInboundConnectToAnotherPodOrFromAnotherPeerDoesNotPass() {
            // 10.240.1.1 is a textual prefix of the sample's 10.240.1.11: it must not match.
            Evidence prefixIp = evidence()
                    .workload("client", "ambient-demo", "sleep", pod("sleep-6d6b49dbcc-n9v8h", "10.240.2.16"))
                    .workload("echo", "ambient-demo", "httpbin", pod("httpbin-648cd984f8-7vg8w", "10.240.1.1"))
                    .log(ZTUNNEL, upstream("ztunnel-access-log-legacy-pre-1.22-inbound.txt")).build();
            Evidence otherPeer = evidence()
                    .workload("client", "ambient-demo", "notsleep", pod("notsleep-bb6696574-r4xjl", "10.240.2.16"))
                    .workload("echo", "ambient-demo", "httpbin", pod("httpbin-648cd984f8-7vg8w", "10.240.1.11"))
                    .log(ZTUNNEL, upstream("ztunnel-access-log-legacy-pre-1.22-inbound.txt")).build();
            Evidence outboundOnly = evidence()
                    .workload("client", "ambient-demo", "sleep", pod("sleep-6d6b49dbcc-n9v8h", "10.240.2.16"))
                    .workload("echo", "ambient-demo", "httpbin", pod("httpbin-648cd984f8-7vg8w", "10.240.1.11"))
                    .log(ZTUNNEL, upstream("ztunnel-access-log-legacy-pre-1.22-outbound.txt")).build();

            assertThat(ZtunnelAccessLog.mutualTls(prefixIp, "client", "echo").status()).isEqualTo(Verdict.Status.INCONCLUSIVE);
            assertThat(ZtunnelAccessLog.mutualTls(otherPeer, "client", "echo").status()).isEqualTo(Verdict.Status.INCONCLUSIVE);
            assertThat(ZtunnelAccessLog.mutualTls(outboundOnly, "client", "echo").status()).isEqualTo(Verdict.Status.INCONCLUSIVE);
        }

        @Test
        void legacyRbacRejectionIsNotMutualTlsProof() {
            Evidence e = evidence()
                    .workload("client", "ambient-demo", "notsleep", pod("notsleep-bb6696574-r4xjl", "10.240.2.2"))
                    .workload("echo", "ambient-demo", "httpbin", pod("httpbin-648cd984f8-2q9bn", "10.240.1.2"))
                    .log(ZTUNNEL, upstream("ztunnel-access-log-legacy-pre-1.22-rbac-deny.txt")).build();

            assertThat(ZtunnelAccessLog.mutualTls(e, "client", "echo").status()).isEqualTo(Verdict.Status.INCONCLUSIVE);
        }
    }

    @Nested
    class Rejected {

        @Test
        void passForTheStrictPlaintextDenyMatchedByNamespaceAndPodName() {
            // Deny line 1 has no identity (plaintext source): src.namespace client-a + src.workload (the pod name).
            Evidence e = evidence()
                    .workload("client", "client-a", "sleep", pod("sleep-69cfb4968f-8dk2p", "10.240.2.6"))
                    .log(ZTUNNEL, upstream(DENY)).build();

            Verdict v = ZtunnelAccessLog.rejected(e, "client");

            assertThat(v.status()).isEqualTo(Verdict.Status.PASS);
            assertThat(v.line()).contains("1 connection(s)").contains("explicitly denied by: istio-system/istio_converted_static_strict");
        }

        @Test
        void thePlaintextDenyOfAnotherPodOfTheNamespaceIsNotOurs() {
            Evidence e = evidence()
                    .workload("client", "client-a", "sleep", pod("sleep-69cfb4968f-other", "10.240.2.8"))
                    .log(ZTUNNEL, upstream(DENY)).build();

            assertThat(ZtunnelAccessLog.rejected(e, "client").status()).isEqualTo(Verdict.Status.INCONCLUSIVE);
        }

        @Test
        void passForTheAllowPolicyDenyMatchedBySrcIdentity() {
            Evidence e = evidence()
                    .workload("client", "ambient-demo", "notsleep", pod("notsleep-bb6696574-r4xjl", "10.240.2.4"))
                    .log(ZTUNNEL, upstream(DENY)).build();

            Verdict v = ZtunnelAccessLog.rejected(e, "client");

            assertThat(v.status()).isEqualTo(Verdict.Status.PASS);
            assertThat(v.line()).contains("1 connection(s)").contains("allow policies exist, but none allowed");
        }

        @Test
        void denyRecordsAreMatchedByIdentityNotByOrder() {
            // Our client is sleep in ambient-demo; the log's only deny record (deny line 2, the last line) is notsleep's.
            Evidence onlyOthers = evidence()
                    .workload("client", "ambient-demo", "sleep", pod("sleep-69cfb4968f-abcde", "10.240.2.6"))
                    .log(ZTUNNEL, upstreamLine(DENY, 2) + "\n").build();
            // Both deny lines: line 1 is another namespace's sleep pod (client-a), line 2 notsleep: still none is ours.
            Evidence bothOthers = evidence()
                    .workload("client", "ambient-demo", "sleep", pod("sleep-69cfb4968f-abcde", "10.240.2.6"))
                    .log(ZTUNNEL, upstream(DENY)).build();

            Verdict v = ZtunnelAccessLog.rejected(onlyOthers, "client");

            assertThat(v.status()).isEqualTo(Verdict.Status.INCONCLUSIVE);
            assertThat(v.line()).contains("no policy rejection of client");
            assertThat(ZtunnelAccessLog.rejected(bothOthers, "client").status()).isEqualTo(Verdict.Status.INCONCLUSIVE);
        }

        @Test
        void legacyRbacRejectionsAreMatchedByPeerId() {
            Evidence notsleep = evidence()
                    .workload("client", "ambient-demo", "notsleep", pod("notsleep-bb6696574-r4xjl", "10.240.2.2"))
                    .log(ZTUNNEL, upstream("ztunnel-access-log-legacy-pre-1.22-rbac-deny.txt")).build();
            Evidence sleep = evidence()
                    .workload("client", "ambient-demo", "sleep", pod("sleep-6d6b49dbcc-n9v8h", "10.240.2.2"))
                    .log(ZTUNNEL, upstream("ztunnel-access-log-legacy-pre-1.22-rbac-deny.txt")).build();

            Verdict v = ZtunnelAccessLog.rejected(notsleep, "client");

            assertThat(v.status()).isEqualTo(Verdict.Status.PASS);
            assertThat(v.line()).contains("2 connection(s)").contains("RBAC rejected");
            assertThat(ZtunnelAccessLog.rejected(sleep, "client").status()).isEqualTo(Verdict.Status.INCONCLUSIVE);
        }

        @Test
        void admittedConnectionsAreNoRejection() {
            Evidence e = evidence()
                    .workload("client", "default", "curl", pod("curl-7656cf8794-r7zb9", "10.244.1.12"))
                    .log(ZTUNNEL, upstream(TROUBLESHOOT))
                    .log("istio-system/ztunnel-b2c3d", upstream("ztunnel-access-log-legacy-pre-1.22-inbound.txt")).build();

            Verdict v = ZtunnelAccessLog.rejected(e, "client");

            assertThat(v.status()).isEqualTo(Verdict.Status.INCONCLUSIVE);
            assertThat(v.line()).contains("in 2 ztunnel log(s)");
        }

        @Test
        void aPolicyChangeCloseIsNoRejection() {
            // Edit of deny line 2: the error is ztunnel's "policy change" close, not a rejection.
            String line = edit(upstreamLine(DENY, 2), "policy rejection: allow policies exist, but none allowed", "policy change");
            Evidence e = evidence()
                    .workload("client", "ambient-demo", "notsleep", pod("notsleep-bb6696574-r4xjl", "10.240.2.4"))
                    .log(ZTUNNEL, line + "\n").build();

            assertThat(ZtunnelAccessLog.rejected(e, "client").status()).isEqualTo(Verdict.Status.INCONCLUSIVE);
        }
    }
}
