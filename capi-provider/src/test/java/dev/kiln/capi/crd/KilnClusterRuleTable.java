package dev.kiln.capi.crd;

import dev.kiln.capi.api.infrastructure.v1alpha1.KilnCluster;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnClusterTemplate;
import java.util.stream.Stream;

final class KilnClusterRuleTable {
    private static final RuleCase.Rows HOST =
            RuleCase.of(KilnCluster.class, ".spec.controlPlaneEndpoint.host", "host must be");
    private static final RuleCase.Rows PORT =
            RuleCase.of(KilnCluster.class, ".spec.controlPlaneEndpoint.port", "port must be");
    private static final RuleCase.Rows ENDPOINT_FIXED =
            RuleCase.of(KilnCluster.class, ".spec", "controlPlaneEndpoint cannot change");

    private static final RuleCase.Rows TEMPLATE_HOST =
            RuleCase.of(KilnClusterTemplate.class, ".spec.template.spec.controlPlaneEndpoint.host", "host must be");
    private static final RuleCase.Rows TEMPLATE_PORT =
            RuleCase.of(KilnClusterTemplate.class, ".spec.template.spec.controlPlaneEndpoint.port", "port must be");
    private static final RuleCase.Rows TEMPLATE_ENDPOINT_FIXED =
            RuleCase.of(KilnClusterTemplate.class, ".spec.template.spec", "controlPlaneEndpoint cannot change");

    private KilnClusterRuleTable() {}

    static Stream<RuleCase> rows() {
        return Stream.of(
                HOST.acceptsText("ipv4HostIsAccepted", "192.0.2.10"),
                HOST.acceptsText("ipv6HostWithoutBracketsIsAccepted", "2001:db8::10"),
                HOST.acceptsText("ipv4MappedIpv6HostIsAccepted", "::ffff:192.0.2.10"),
                HOST.acceptsText("dnsNameHostIsAccepted", "api.prod.example.com"),
                HOST.acceptsText("upperCaseDnsNameIsAccepted", "API.Example.com"),
                HOST.acceptsText("emptyHostMeansNotSetYetAndIsAccepted", ""),
                HOST.refusesText("bracketedIpv6HostIsRefusedWithAMessageNamingTheHost", "[2001:db8::10]"),
                HOST.refusesText("hostWithAPortIsRefused", "192.0.2.10:6443"),
                HOST.refusesText("urlAsHostIsRefused", "https://api.example.com"),
                HOST.refusesText("underscoreInHostIsRefused", "api_server.example.com"),
                HOST.refusesText("allDigitLastLabelIsRefusedAsAMalformedIpv4", "api.123"),
                HOST.refusesText("ipv4WithAnOctetAbove255IsRefused", "192.0.2.256"),
                HOST.refusesText("labelStartingWithAHyphenIsRefused", "-api.example.com"),
                HOST.refusesText("emptyLabelIsRefused", "api..example.com"),
                HOST.refusesText("nameLongerThan253IsRefused", ("a".repeat(60) + ".").repeat(5) + "example"),
                PORT.accepts("port6443IsAccepted", "6443"),
                PORT.accepts("port1IsAccepted", "1"),
                PORT.accepts("port65535IsAccepted", "65535"),
                PORT.refuses("port0IsRefusedWithAMessageNamingThePort", "0"),
                PORT.refuses("portAbove65535IsRefused", "65536"),
                PORT.refuses("negativePortIsRefused", "-1"),
                ENDPOINT_FIXED.acceptsChange("endpointMayBeSetLater", "{}",
                        "controlPlaneEndpoint: {host: api.example.com, port: 6443}"),
                ENDPOINT_FIXED.acceptsChange("endpointWithEmptyHostMayBeFilledIn", "controlPlaneEndpoint: {host: ''}",
                        "controlPlaneEndpoint: {host: api.example.com}"),
                ENDPOINT_FIXED.acceptsChange("unchangedEndpointIsAccepted",
                        "controlPlaneEndpoint: {host: api.example.com, port: 6443}",
                        "controlPlaneEndpoint: {host: api.example.com, port: 6443}"),
                ENDPOINT_FIXED.refusesChange("changedHostIsRefusedWithAMessageNamingControlPlaneEndpoint",
                        "controlPlaneEndpoint: {host: api.example.com, port: 6443}",
                        "controlPlaneEndpoint: {host: api2.example.com, port: 6443}"),
                ENDPOINT_FIXED.refusesChange("changedPortIsRefused",
                        "controlPlaneEndpoint: {host: api.example.com, port: 6443}",
                        "controlPlaneEndpoint: {host: api.example.com, port: 443}"),
                ENDPOINT_FIXED.refusesChange("removedEndpointIsRefused",
                        "controlPlaneEndpoint: {host: api.example.com}", "{}"),
                // A KilnClusterTemplate's spec is a KilnCluster's, so the same rules hold there.
                TEMPLATE_HOST.acceptsText("templateEmptyHostIsAccepted", ""),
                TEMPLATE_HOST.refusesText("templateHostWithAPortIsRefused", "192.0.2.10:6443"),
                TEMPLATE_PORT.accepts("templatePort6443IsAccepted", "6443"),
                TEMPLATE_PORT.refuses("templatePort0IsRefused", "0"),
                TEMPLATE_ENDPOINT_FIXED.acceptsChange("templateEndpointWithEmptyHostMayBeFilledIn",
                        "controlPlaneEndpoint: {host: ''}", "controlPlaneEndpoint: {host: api.example.com}"),
                TEMPLATE_ENDPOINT_FIXED.refusesChange("templateChangedHostIsRefused",
                        "controlPlaneEndpoint: {host: api.example.com, port: 6443}",
                        "controlPlaneEndpoint: {host: api2.example.com, port: 6443}"));
    }
}
