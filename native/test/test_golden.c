/* The C writer still writes tests/golden/synthetic-v1.stasis byte for byte, and the
 * C reader reads every field and block of it back. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../common/image_read.h"
#include "../common/image_sections.h"
#include "check.h"
#include "golden.h"

static unsigned char *slurp(const char *path, long *length)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    *length = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *data = malloc((size_t)*length);
    if (data && fread(data, 1, (size_t)*length, f) != (size_t)*length) {
        free(data);
        data = NULL;
    }
    fclose(f);
    return data;
}

int main(int argc, char **argv)
{
    const char *repo = getenv("REPO");
    char committed[4096], dir[] = "/tmp/stasis-golden-XXXXXX", fresh[4200];
    snprintf(committed, sizeof committed, "%s/tests/golden/" GOLDEN_NAME, repo ? repo : "..");
    if (argc == 3 && strcmp(argv[1], "--write") == 0)
        return golden_write(argv[2]) < 0;
    if (!mkdtemp(dir))
        return 2;
    CHECK(golden_write(dir) == 0, "writing the golden image");
    snprintf(fresh, sizeof fresh, "%s/" GOLDEN_NAME, dir);
    long a_len = 0, b_len = 0;
    unsigned char *a = slurp(committed, &a_len), *b = slurp(fresh, &b_len);
    CHECK(a && b && a_len == b_len && memcmp(a, b, (size_t)a_len) == 0,
          "the C writer no longer writes %s (regenerate with `make golden` if the format changed on purpose)",
          committed);
    unlink(fresh);
    rmdir(dir);

    struct image img;
    char why[512];
    CHECK(image_open(committed, &img, why, sizeof why) == 0, "%s", why);
    CHECK(img.header.generation == GOLDEN_GENERATION && img.header.created_ms == GOLDEN_CREATED_MS, "header");
    CHECK(strcmp(img.process.program, "golden") == 0 && img.process.pid == 4242 &&
              img.process.mm[MM_BRK] == GOLDEN_HEAP + 0x3000 && img.process.plugin_count == 1 &&
              img.process.rlimits[0].hard == 524288 && img.process.itimers[0].value_us == 2500000,
          "process");
    CHECK(img.thread_count == 2 && img.threads[0].flags == 1 && img.threads[1].flags == 2 &&
              strcmp(img.threads[1].comm, "stasis:ckpt") == 0 && img.threads[0].rseq_signature == 0x53053053,
          "threads");
    CHECK(img.region_count == 5 && strcmp(img.regions[1].name, "/home/user/shared.db") == 0 &&
              img.regions[3].inode == 0x12345678,
          "regions");
    const void *section;
    uint64_t length;
    CHECK(img_find_section(img.metadata, img.metadata_length, IMG_SEC_CHILDREN, 0, &section, &length) == 0 &&
              length == 4 + 2 * 12,
          "children");
    CHECK(img.block_count == 2 && img.blocks[0].header.encoding == IMG_ENC_LZ4 &&
              img.blocks[1].header.encoding == IMG_ENC_RAW && img.raw_bytes == 4 * 4096,
          "blocks");
    static char heap[3 * 4096], stack[4096], scratch[1 << 20];
    CHECK(image_load_block(&img, &img.blocks[0], heap, scratch, sizeof scratch, why, sizeof why) == 0, "%s", why);
    CHECK(image_load_block(&img, &img.blocks[1], stack, scratch, sizeof scratch, why, sizeof why) == 0, "%s", why);
    int text_ok = 1;
    for (unsigned i = 0; i < sizeof heap; i++)
        text_ok &= heap[i] == "stasis golden "[i % 14];
    CHECK(text_ok, "the LZ4 block decodes to its text");
    image_close(&img);
    return check_report("golden image");
}
