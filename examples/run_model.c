/* Runs model_main of a compiled quant-opt object over every sample of a
 * float32 .npy file and writes the outputs as raw float32.
 *
 * usage: run_model input.npy output.raw
 * Build with -DIN_ELEMS=<elements per input sample>
 *            -DOUT_ELEMS=<elements per output sample>. */
#include "model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s input.npy output.raw\n", argv[0]);
    return 2;
  }
  FILE *in = fopen(argv[1], "rb");
  if (!in) {
    perror(argv[1]);
    return 1;
  }
  unsigned char preamble[10];
  if (fread(preamble, 1, 10, in) != 10 || memcmp(preamble, "\x93NUMPY\x01", 7)) {
    fprintf(stderr, "%s: not a version 1 .npy file\n", argv[1]);
    return 1;
  }
  long header = preamble[8] | preamble[9] << 8;
  fseek(in, 10 + header, SEEK_SET);

  static float input[IN_ELEMS], output[OUT_ELEMS];
  FILE *out = fopen(argv[2], "wb");
  if (!out) {
    perror(argv[2]);
    return 1;
  }
  int samples = 0;
  while (fread(input, sizeof(float), IN_ELEMS, in) == IN_ELEMS) {
    int status = model_main(input, output);
    if (status != 0) {
      fprintf(stderr, "model_main returned %d\n", status);
      return 1;
    }
    fwrite(output, sizeof(float), OUT_ELEMS, out);
    ++samples;
  }
  fclose(out);
  fclose(in);
  printf("ran %d samples\n", samples);
  return 0;
}
