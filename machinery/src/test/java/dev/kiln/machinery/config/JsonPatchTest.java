package dev.kiln.machinery.config;

import static dev.kiln.machinery.config.TestConfigs.rendered;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class JsonPatchTest {

    // RFC 6902 appendix A, one example per test.

    @Test
    void addsObjectMember() throws Exception {
        assertPatched("{\"foo\": \"bar\"}", "[{\"op\": \"add\", \"path\": \"/baz\", \"value\": \"qux\"}]",
                "{\"baz\": \"qux\", \"foo\": \"bar\"}");
    }

    @Test
    void insertsArrayElementAtIndex() throws Exception {
        assertPatched("{\"foo\": [\"bar\", \"baz\"]}", "[{\"op\": \"add\", \"path\": \"/foo/1\", \"value\": \"qux\"}]",
                "{\"foo\": [\"bar\", \"qux\", \"baz\"]}");
    }

    @Test
    void removesObjectMember() throws Exception {
        assertPatched("{\"baz\": \"qux\", \"foo\": \"bar\"}", "[{\"op\": \"remove\", \"path\": \"/baz\"}]",
                "{\"foo\": \"bar\"}");
    }

    @Test
    void removesArrayElement() throws Exception {
        assertPatched("{\"foo\": [\"bar\", \"qux\", \"baz\"]}", "[{\"op\": \"remove\", \"path\": \"/foo/1\"}]",
                "{\"foo\": [\"bar\", \"baz\"]}");
    }

    @Test
    void replacesValue() throws Exception {
        assertPatched("{\"baz\": \"qux\", \"foo\": \"bar\"}",
                "[{\"op\": \"replace\", \"path\": \"/baz\", \"value\": \"boo\"}]", "{\"baz\": \"boo\", \"foo\": \"bar\"}");
    }

    @Test
    void movesValue() throws Exception {
        assertPatched("{\"foo\": {\"bar\": \"baz\", \"waldo\": \"fred\"}, \"qux\": {\"corge\": \"grault\"}}",
                "[{\"op\": \"move\", \"from\": \"/foo/waldo\", \"path\": \"/qux/thud\"}]",
                "{\"foo\": {\"bar\": \"baz\"}, \"qux\": {\"corge\": \"grault\", \"thud\": \"fred\"}}");
    }

    @Test
    void movesArrayElement() throws Exception {
        assertPatched("{\"foo\": [\"all\", \"grass\", \"cows\", \"eat\"]}",
                "[{\"op\": \"move\", \"from\": \"/foo/1\", \"path\": \"/foo/3\"}]",
                "{\"foo\": [\"all\", \"cows\", \"eat\", \"grass\"]}");
    }

    @Test
    void passesTestOfMatchingValues() throws Exception {
        assertPatched("{\"baz\": \"qux\", \"foo\": [\"a\", 2, \"c\"]}",
                "[{\"op\": \"test\", \"path\": \"/baz\", \"value\": \"qux\"},"
                        + " {\"op\": \"test\", \"path\": \"/foo/1\", \"value\": 2}]",
                "{\"baz\": \"qux\", \"foo\": [\"a\", 2, \"c\"]}");
    }

    @Test
    void failsTestOfDifferentValue() {
        assertEquals(List.of("patch[0] (test /baz): test failed: value at path differs from the expected value"),
                failure("{\"baz\": \"qux\"}", "[{\"op\": \"test\", \"path\": \"/baz\", \"value\": \"bar\"}]"));
    }

    @Test
    void addsNestedMemberObject() throws Exception {
        assertPatched("{\"foo\": \"bar\"}",
                "[{\"op\": \"add\", \"path\": \"/child\", \"value\": {\"grandchild\": {}}}]",
                "{\"foo\": \"bar\", \"child\": {\"grandchild\": {}}}");
    }

    @Test
    void ignoresUnrecognizedMembers() throws Exception {
        assertPatched("{\"foo\": \"bar\"}", "[{\"op\": \"add\", \"path\": \"/baz\", \"value\": \"qux\", \"xyz\": 123}]",
                "{\"foo\": \"bar\", \"baz\": \"qux\"}");
    }

    @Test
    void failsToAddToNonexistentTarget() {
        assertEquals(List.of("patch[0] (add /baz/bat): parent of path does not exist"),
                failure("{\"foo\": \"bar\"}", "[{\"op\": \"add\", \"path\": \"/baz/bat\", \"value\": \"qux\"}]"));
    }

    @Test
    void rejectsOperationWithDuplicateMembers() {
        ConfigPatchException e = assertThrows(ConfigPatchException.class, () -> JsonPatch.parse(
                "[{\"op\": \"add\", \"path\": \"/baz\", \"value\": \"qux\", \"op\": \"remove\"}]"));
        assertEquals("(yaml)", e.problems().get(0).path());
    }

    @Test
    void decodesTildeEscapesInTheRightOrder() throws Exception {
        assertPatched("{\"/\": 9, \"~1\": 10}", "[{\"op\": \"test\", \"path\": \"/~01\", \"value\": 10}]",
                "{\"/\": 9, \"~1\": 10}");
    }

    @Test
    void failsTestComparingStringWithNumber() {
        assertEquals(List.of("patch[0] (test /~01): test failed: value at path differs from the expected value"),
                failure("{\"/\": 9, \"~1\": 10}", "[{\"op\": \"test\", \"path\": \"/~01\", \"value\": \"10\"}]"));
    }

    @Test
    void appendsArrayValueWithDash() throws Exception {
        assertPatched("{\"foo\": [\"bar\"]}",
                "[{\"op\": \"add\", \"path\": \"/foo/-\", \"value\": [\"abc\", \"def\"]}]",
                "{\"foo\": [\"bar\", [\"abc\", \"def\"]]}");
    }

    // RFC 6901 section 5: every example pointer, checked through a test operation.

    static Stream<Arguments> rfc6901Examples() {
        return Stream.of(
                Arguments.of("", RFC6901_DOCUMENT),
                Arguments.of("/foo", "[\"bar\", \"baz\"]"),
                Arguments.of("/foo/0", "\"bar\""),
                Arguments.of("/", "0"),
                Arguments.of("/a~1b", "1"),
                Arguments.of("/c%d", "2"),
                Arguments.of("/e^f", "3"),
                Arguments.of("/g|h", "4"),
                Arguments.of("/i\\j", "5"),
                Arguments.of("/k\"l", "6"),
                Arguments.of("/ ", "7"),
                Arguments.of("/m~0n", "8"));
    }

    private static final String RFC6901_DOCUMENT = "{\"foo\": [\"bar\", \"baz\"], \"\": 0, \"a/b\": 1, \"c%d\": 2,"
            + " \"e^f\": 3, \"g|h\": 4, \"i\\\\j\": 5, \"k\\\"l\": 6, \" \": 7, \"m~n\": 8}";

    @ParameterizedTest(name = "pointer \"{0}\"")
    @MethodSource("rfc6901Examples")
    void resolvesRfc6901ExamplePointer(String pointer, String expectedJson) throws Exception {
        Map<String, Object> operation = new LinkedHashMap<>();
        operation.put("op", "test");
        operation.put("path", pointer);
        operation.put("value", tree(expectedJson));
        JsonPatch.of(List.of(operation)).apply(tree(RFC6901_DOCUMENT));
    }

    // Behaviour beyond the appendix.

    @Test
    void jsonPatchFailureLeavesInputUntouched() throws Exception {
        Object input = tree("{\"a\": {\"b\": 1}}");
        Object before = PlainTrees.deepCopy(input);
        JsonPatch patch = JsonPatch.parse("[{op: add, path: /a/c, value: 2}, {op: remove, path: /missing}]");
        assertThrows(ConfigPatchException.class, () -> patch.apply(input));
        assertEquals(before, input);
    }

    @Test
    void successfulPatchAlsoLeavesInputUntouched() throws Exception {
        Object input = tree("{\"a\": [1]}");
        Object result = JsonPatch.parse("[{op: add, path: /a/-, value: 2}]").apply(input);
        assertEquals(tree("{\"a\": [1]}"), input);
        assertEquals(tree("{\"a\": [1, 2]}"), result);
    }

    @Test
    void appliesNoOperationWhenALaterOneFails() throws Exception {
        JsonPatch patch = JsonPatch.parse("[{op: add, path: /x, value: 1}, {op: test, path: /x, value: 2}]");
        ConfigPatchException e = assertThrows(ConfigPatchException.class, () -> patch.apply(tree("{}")));
        assertEquals("patch[1] (test /x)", e.problems().get(0).path());
    }

    @Test
    void namesOperationIndexAndPathInFailure() {
        assertEquals(List.of("patch[2] (replace /machine/foo): path does not exist"),
                failure("{\"machine\": {}}", "[{op: test, path: /machine, value: {}}, {op: add, path: /a, value: 1},"
                        + " {op: replace, path: /machine/foo, value: 1}]"));
    }

    @Test
    void namesFromInMoveFailure() {
        assertEquals(List.of("patch[0] (move /b from /a): from does not exist"),
                failure("{}", "[{op: move, from: /a, path: /b}]"));
    }

    @Test
    void copiesValueDeeply() throws Exception {
        Object result = JsonPatch.parse("[{op: copy, from: /a, path: /b}, {op: add, path: /b/x, value: 2}]")
                .apply(tree("{\"a\": {\"x\": 1}}"));
        assertEquals(tree("{\"a\": {\"x\": 1}, \"b\": {\"x\": 2}}"), result);
    }

    @Test
    void copiesArrayElementToIndex() throws Exception {
        assertPatched("{\"a\": [1, 2]}", "[{op: copy, from: /a/1, path: /a/0}]", "{\"a\": [2, 1, 2]}");
    }

    @Test
    void addReplacesExistingObjectMember() throws Exception {
        assertPatched("{\"a\": 1}", "[{op: add, path: /a, value: 2}]", "{\"a\": 2}");
    }

    @Test
    void replacesWholeDocumentAtRootPointer() throws Exception {
        assertPatched("{\"a\": 1}", "[{op: replace, path: '', value: [1]}]", "[1]");
    }

    @Test
    void refusesToRemoveWholeDocument() {
        assertEquals(List.of("patch[0] (remove \"\"): Cannot remove document root"),
                failure("{}", "[{op: remove, path: ''}]"));
    }

    @Test
    void refusesToMoveLocationIntoItsOwnChild() {
        assertEquals(List.of("patch[0] (move /a/b from /a): cannot move a location into one of its own children"),
                failure("{\"a\": {}}", "[{op: move, from: /a, path: /a/b}]"));
    }

    @Test
    void moveToSameLocationChangesNothing() throws Exception {
        assertPatched("{\"a\": 1}", "[{op: move, from: /a, path: /a}]", "{\"a\": 1}");
    }

    @Test
    void rejectsArrayIndexPastTheEnd() {
        assertEquals(List.of("patch[0] (add /a/3): Array index 3 out of bounds"),
                failure("{\"a\": [1, 2]}", "[{op: add, path: /a/3, value: 0}]"));
    }

    @Test
    void rejectsArrayIndexWithLeadingZero() {
        assertEquals(List.of("patch[0] (add /a/01): '01' is not an array index"),
                failure("{\"a\": [1, 2]}", "[{op: add, path: /a/01, value: 0}]"));
    }

    @Test
    void treatsDashAsNonexistentElementForRemove() {
        assertEquals(List.of("patch[0] (remove /a/-): path does not exist"),
                failure("{\"a\": [1]}", "[{op: remove, path: /a/-}]"));
    }

    @Test
    void comparesNumbersByValueAndObjectsRegardlessOfOrder() throws Exception {
        assertPatched("{\"n\": 1, \"o\": {\"x\": 1, \"y\": 2}}",
                "[{op: test, path: /n, value: 1.0}, {op: test, path: /o, value: {y: 2, x: 1}}]",
                "{\"n\": 1, \"o\": {\"x\": 1, \"y\": 2}}");
    }

    @Test
    void testsNullValue() throws Exception {
        assertPatched("{\"a\": null}", "[{op: test, path: /a, value: null}]", "{\"a\": null}");
    }

    @Test
    void reportsEveryMalformedOperation() {
        ConfigPatchException e = assertThrows(ConfigPatchException.class, () -> JsonPatch.parse(
                "[{op: frobnicate, path: /a}, {path: /a}, {op: add, path: a, value: 1}, {op: add, path: /a},"
                        + " {op: move, path: /a}, {op: remove, path: /a~2}, 7]"));
        assertEquals(List.of(
                "patch[0].op: must be one of add, remove, replace, move, copy, test",
                "patch[1].op: is required",
                "patch[2].path: not a JSON pointer: must be empty or start with '/'",
                "patch[3].value: is required",
                "patch[4].from: is required",
                "patch[5].path: not a JSON pointer: '~' must be followed by 0 or 1",
                "patch[6]: must be a mapping with op and path"), rendered(e.problems()));
    }

    @Test
    void rejectsPatchDocumentThatIsNotAList() {
        ConfigPatchException e = assertThrows(ConfigPatchException.class,
                () -> JsonPatch.parse("{op: add, path: /a, value: 1}"));
        assertEquals(List.of("(patch): must be a list of operations"), rendered(e.problems()));
    }

    @Test
    void acceptsAlreadyParsedOperations() throws Exception {
        Map<String, Object> operation = Map.of("op", "add", "path", "/a", "value", "b");
        assertEquals(Map.of("a", "b"), JsonPatch.of(List.of(operation)).apply(new LinkedHashMap<>()));
    }

    @Test
    void doesNotShareValuesBetweenApplications() throws Exception {
        List<Object> value = new ArrayList<>(List.of(1));
        JsonPatch patch = JsonPatch.of(List.of(Map.of("op", "add", "path", "/a", "value", value)));
        value.add(2);
        Object first = patch.apply(new LinkedHashMap<>());
        Object second = patch.apply(new LinkedHashMap<>());
        assertEquals(Map.of("a", List.of(1)), first);
        assertNotSame(((Map<?, ?>) first).get("a"), ((Map<?, ?>) second).get("a"));
    }

    private static Object tree(String json) {
        YamlTrees.Loaded loaded = YamlTrees.load(json);
        assertTrue(loaded.ok(), () -> loaded.problems().toString());
        return loaded.tree();
    }

    private static void assertPatched(String document, String patch, String expected) throws Exception {
        assertEquals(tree(expected), JsonPatch.parse(patch).apply(tree(document)));
    }

    private static List<String> failure(String document, String patch) {
        ConfigPatchException e = assertThrows(ConfigPatchException.class,
                () -> JsonPatch.parse(patch).apply(tree(document)));
        return rendered(e.problems());
    }
}
