/* demo_blob: embeds the bundled example cluster (examples/demo/, joined
 * into one NUL-terminated YAML stream by the Makefile) in the binary. */
	.section .rodata
	.global demo_yaml
	.global demo_yaml_end
	.balign 16
demo_yaml:
	.incbin DEMO_FILE
demo_yaml_end:
	.section .note.GNU-stack,"",@progbits
