// porescope-lite-runner: runs a PoreScope .ptl through PyTorch's lite interpreter (the runtime code
// inside the Android app's org.pytorch:pytorch_android_lite), one tile at a time, for the JVM.
//
//   porescope-lite-runner MODEL.ptl [THREADS]
//
// The JVM starts it as a child process (so libtorch 1.13 never shares a process with the JVM's
// libtorch 2.10) and talks to it over stdin/stdout, all integers and floats little-endian:
//   hello  (runner -> JVM, once): int32 0, int32 n, n bytes of UTF-8 "pytorch-lite-interpreter <version>"
//          or on a load failure: int32 -1, int32 n, n bytes of the error message (then exit 1)
//   tile   (JVM -> runner): int32 height, int32 width, height*width float32 (the preprocessed tile)
//   answer (runner -> JVM): int32 0, int32 height, int32 width, height*width float32 (channel 1 of the
//          model's [1, C, height, width] output: the pore probability)
//          or: int32 -1, int32 n, n bytes of the error message (the runner then waits for the next tile)
// End of input ends the runner (exit 0).
#include <torch/csrc/jit/mobile/import.h>
#include <torch/csrc/jit/mobile/module.h>
#include <torch/csrc/api/include/torch/version.h>
#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <c10/core/InferenceMode.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#ifndef PORESCOPE_TORCH_VERSION
#define PORESCOPE_TORCH_VERSION TORCH_VERSION
#endif

namespace {

bool read_exact(void* buffer, size_t bytes) {
    return std::fread(buffer, 1, bytes, stdin) == bytes;
}

void write_exact(const void* buffer, size_t bytes) {
    if (std::fwrite(buffer, 1, bytes, stdout) != bytes) std::exit(3);   // the JVM went away
}

void write_int(int32_t v) { write_exact(&v, sizeof v); }

void write_message(int32_t status, const std::string& text) {
    write_int(status);
    write_int(static_cast<int32_t>(text.size()));
    write_exact(text.data(), text.size());
    std::fflush(stdout);
}

std::string first_line(const std::string& s) {
    size_t end = s.find('\n');
    return end == std::string::npos ? s : s.substr(0, end);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2 || argc > 3) {
        std::fprintf(stderr, "usage: porescope-lite-runner MODEL.ptl [THREADS]\n");
        return 2;
    }
    if (argc == 3) {
        int threads = std::atoi(argv[2]);
        if (threads > 0) at::set_num_threads(threads);
    }
    torch::jit::mobile::Module module;
    try {
        module = torch::jit::_load_for_mobile(argv[1]);
    } catch (const std::exception& e) {
        write_message(-1, std::string("the lite interpreter cannot load ") + argv[1] + ": " + first_line(e.what()));
        return 1;
    }
    write_message(0, std::string("pytorch-lite-interpreter ") + PORESCOPE_TORCH_VERSION);

    std::vector<float> pixels;
    for (;;) {
        int32_t dims[2];
        if (!read_exact(dims, sizeof dims)) return 0;   // end of input
        int32_t h = dims[0], w = dims[1];
        if (h <= 0 || w <= 0 || static_cast<int64_t>(h) * w > (int64_t{1} << 28)) {
            write_message(-1, "bad tile size " + std::to_string(h) + "x" + std::to_string(w));
            return 1;   // the stream can no longer be trusted
        }
        pixels.resize(static_cast<size_t>(h) * w);
        if (!read_exact(pixels.data(), pixels.size() * sizeof(float))) return 1;
        try {
            c10::InferenceMode guard;
            at::Tensor input = at::from_blob(pixels.data(), {1, 1, h, w}, at::kFloat);
            at::Tensor out = module.forward({input}).toTensor();
            if (out.dim() != 4 || out.size(0) != 1 || out.size(1) < 2 || out.size(2) != h || out.size(3) != w) {
                write_message(-1, "model output has shape " + c10::str(out.sizes()) + ", expected [1, C>=2, "
                        + std::to_string(h) + ", " + std::to_string(w) + "]");
                continue;
            }
            at::Tensor pore = out.select(1, 1).contiguous().to(at::kFloat);
            write_int(0);
            write_int(h);
            write_int(w);
            write_exact(pore.data_ptr<float>(), static_cast<size_t>(h) * w * sizeof(float));
            std::fflush(stdout);
        } catch (const std::exception& e) {
            write_message(-1, first_line(e.what()));
        }
    }
}
