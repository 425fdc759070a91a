package dev.kiln.capi.crd;

import dev.kiln.capi.api.infrastructure.v1alpha1.KilnServer;
import java.util.stream.Stream;

/** The address rule; {@link AddressRulesMatchJavaTest} holds it against the operator's own parser. */
final class KilnServerRuleTable {
    static final RuleCase.Rows ADDRESS = RuleCase.of(KilnServer.class, ".spec.address", "address must be");

    private KilnServerRuleTable() {}

    static Stream<RuleCase> rows() {
        return Stream.of(
                ADDRESS.acceptsText("ipv4AddressIsAccepted", "192.0.2.5"),
                ADDRESS.acceptsText("ipv4AddressWithPortIsAccepted", "192.0.2.5:50000"),
                ADDRESS.acceptsText("bracketedIpv6AddressIsAccepted", "[2001:db8::5]"),
                ADDRESS.acceptsText("bracketedIpv6AddressWithPortIsAccepted", "[2001:db8::5]:50000"),
                ADDRESS.acceptsText("dnsNameIsAccepted", "node-1.lab.example"),
                ADDRESS.acceptsText("dnsNameWithPortIsAccepted", "node-1.lab.example:50000"),
                ADDRESS.acceptsText("singleLabelNameIsAccepted", "node1"),
                ADDRESS.refusesText("ipv6WithoutBracketsIsRefusedWithAMessageNamingTheAddress", "2001:db8::5"),
                ADDRESS.refusesText("port0IsRefused", "192.0.2.5:0"),
                ADDRESS.refusesText("portAbove65535IsRefused", "192.0.2.5:65536"),
                ADDRESS.refusesText("portWithLeadingZeroIsRefused", "192.0.2.5:050000"),
                ADDRESS.refusesText("emptyPortIsRefused", "192.0.2.5:"),
                ADDRESS.refusesText("portWithoutHostIsRefused", ":50000"),
                ADDRESS.refusesText("urlIsRefused", "tcp://192.0.2.5:50000"),
                ADDRESS.refusesText("underscoreInNameIsRefused", "node_1.lab.example"),
                ADDRESS.refusesText("allDigitLastLabelIsRefused", "node.123:50000"),
                ADDRESS.refusesText("bracketedIpv4IsRefused", "[192.0.2.5]:50000"),
                ADDRESS.refusesText("emptyAddressIsRefused", ""));
    }
}
