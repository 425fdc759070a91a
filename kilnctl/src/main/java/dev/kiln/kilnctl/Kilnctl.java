package dev.kiln.kilnctl;

public final class Kilnctl {
    public static void main(String[] args) {
        System.out.println("kilnctl");
    }
}
