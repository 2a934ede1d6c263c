#include "app/gui_main.h"

#include "app/cli.h"
#include "app/kept_frame.h"
#include "app/video_surface_gl.h"
#include "core/dates.h"
#include "services/access_audit.h"
#include "services/backups.h"
#include "services/cases.h"
#include "services/paths.h"
#include "ui/export_dialog.h"
#include "ui/secret_field.h"
#include "ui/shell.h"
#include "ui/theme.h"

#define GL_SILENCE_DEPRECATION
#include <GLFW/glfw3.h>
#include <imgui.h>
#include <imgui/backends/imgui_impl_glfw.h>
#include <imgui/backends/imgui_impl_opengl3.h>
#include <stb/stb_image.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <vector>

namespace attune::app {
namespace {

// How long `attune screenshot` waits for a view's background work (seconds since start).
constexpr double kScreenshotWaitSeconds = 120;

// Frames to draw after any input: popups and hover states settle in 2-3 frames.
constexpr int kFramesAfterInput = 3;

// The back buffer's pixels, rows top to bottom (OpenGL's start at the bottom).
std::vector<std::uint8_t> read_back_buffer(int width, int height) {
    const size_t row = static_cast<size_t>(width) * 4;
    std::vector<std::uint8_t> pixels(row * static_cast<size_t>(height));
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glReadBuffer(GL_BACK);
    glReadPixels(0, 0, width, height, GL_RGBA, GL_UNSIGNED_BYTE, pixels.data());
    for (size_t top = 0, bottom = static_cast<size_t>(height) - 1; top < bottom; ++top, --bottom)
        std::swap_ranges(pixels.begin() + static_cast<long>(top * row), pixels.begin() + static_cast<long>((top + 1) * row),
                         pixels.begin() + static_cast<long>(bottom * row));
    return pixels;
}

// The window icon, from the PNGs rendered from assets/icons/attune.svg; the
// window manager picks the size it needs. A missing file only costs the icon.
void set_window_icon(GLFWwindow* window) {
    std::vector<GLFWimage> images;
    std::vector<unsigned char*> pixels;
    for (const char* name : {"attune-48.png", "attune-128.png", "attune-256.png"}) {
        const std::string path = (services::assets_dir() / "icons" / name).string();
        int width = 0, height = 0, channels = 0;
        unsigned char* data = stbi_load(path.c_str(), &width, &height, &channels, 4);
        if (!data) continue;
        pixels.push_back(data);
        images.push_back(GLFWimage{width, height, data});
    }
    if (!images.empty()) glfwSetWindowIcon(window, static_cast<int>(images.size()), images.data());
    for (unsigned char* data : pixels)
        stbi_image_free(data);
}

// Rebuilds the font atlas at a new size and re-uploads it; only between frames.
void rebuild_fonts(float font_size, float scale) {
    ImGui_ImplOpenGL3_DestroyFontsTexture();
    ui::load_fonts(font_size, scale);
    ImGui_ImplOpenGL3_CreateFontsTexture();
}

void glfw_error(int code, const char* description) {
    std::fprintf(stderr, "attune: window system error %d: %s\n", code, description);
}

}  // namespace

int run_gui(GuiOptions options) {
    glfwSetErrorCallback(glfw_error);
    if (!glfwInit()) {
        std::cerr << "attune: cannot open a window (no display?). The command line works without one: attune --help\n";
        return kExitFailed;
    }
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
    glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
    glfwWindowHint(GLFW_SCALE_TO_MONITOR, GLFW_TRUE);
    const bool screenshot = !options.screenshot_path.empty();
    if (screenshot) glfwWindowHint(GLFW_RESIZABLE, GLFW_FALSE);
    GLFWwindow* window = glfwCreateWindow(options.width, options.height, "Attune", nullptr, nullptr);
    if (!window) {
        glfwTerminate();
        std::cerr << "attune: cannot create an OpenGL 3.3 window\n";
        return kExitFailed;
    }
    set_window_icon(window);
    glfwMakeContextCurrent(window);
    glfwSwapInterval(1);

    float scale = options.scale;
    if (scale <= 0) {
        float sx = 1, sy = 1;
        glfwGetWindowContentScale(window, &sx, &sy);
        scale = std::max(1.0f, std::max(sx, sy));
    }

    IMGUI_CHECKVERSION();
    ui::install_wiping_allocator();  // ImGui zeroes what it frees (typed passphrases among it)
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
    static std::string ini_path;
    ini_path = (services::config_dir() / "imgui.ini").string();
    io.IniFilename = screenshot ? nullptr : ini_path.c_str();
    // Screenshots use the default settings, so that they do not depend on the user's.
    services::LoadedSettings settings;
    if (!screenshot) settings = services::load_user_settings();
    if (settings.warning) std::cerr << "attune: " << *settings.warning << "\n";
    if (options.theme) settings.settings.theme = *options.theme;
    ui::load_fonts(settings.settings.font_size, scale);
    ui::apply_theme(settings.settings.theme, scale);
    ImGui_ImplGlfw_InitForOpenGL(window, true);
    ImGui_ImplOpenGL3_Init("#version 330 core");

    int exit_code = kExitOk;
    // Worker threads wake the loop for one frame: the review's media player
    // while it has frames (playing, or landing a seek; a paused player sends
    // nothing), and the practice server's sync when its state moves.
    std::atomic<bool> worker_woke{false};
    {
        GlVideoSurface video_surface;  // outlives the shell's players; goes before the window
        ui::Shell shell;
        shell.model().set_video_surface(&video_surface);
        if (screenshot) shell.model().set_media_audio(false);  // a picture needs no sound device
        const auto wake = [&worker_woke] {
            worker_woke = true;
            glfwPostEmptyEvent();
        };
        shell.model().set_media_wake(wake);
        shell.model().set_sync_wake(wake);
        shell.settings().set_current(settings.settings);
        shell.model().set_hotkeys(settings.settings.hotkeys);
        shell.model().set_five_to_one_reference(settings.settings.five_to_one_reference);
        if (!screenshot) shell.model().set_backup_policy(services::backup_policy(settings.settings));
        if (!screenshot && !settings.settings.walkthrough_done) shell.walkthrough().open_when_unlocked();
        if (settings.warning) shell.model().error(*settings.warning);
        if (!options.unlock_path.empty()) shell.model().database_path = options.unlock_path;
        if (options.practice) {
            services::OpenPractice& practice = *options.practice;
            RowId case_id = 0, session_id = 0;
            Case c;
            if (!options.case_label.empty()) {
                c = services::find_case(practice, options.case_label);
                case_id = c.id;
                if (options.session_number) session_id = services::find_session(practice, c, options.session_number).id;
            }
            shell.model().set_practice(std::move(options.practice));
            // A case without --session opens the case (its trends), not a review of session 0.
            if (case_id && session_id)
                shell.model().open_review(case_id, session_id);
            else if (case_id)
                shell.model().open_case(case_id);
            if (options.review_at) shell.model().request_review_seek(*options.review_at);
            if (!options.review_tab.empty()) shell.model().request_review_tab(options.review_tab);
            if (options.measure_dialog) shell.model().request_measure_dialog();
            if (options.checkin && case_id) {
                ui::AppModel::HandOver hand_over;
                hand_over.case_id = case_id;
                hand_over.partner = Who::A;
                hand_over.partner_name = c.partner_a.display_name;
                hand_over.date = today_local_iso();
                shell.model().start_hand_over(std::move(hand_over));
            }
        }
        if (!options.view.empty() && !shell.show_view(options.view)) {
            std::cerr << "attune: cannot show view '" << options.view
                      << "' (views: unlock, caseload, case, session, review, lock, settings, coding-guide, audit, people, "
                         "boris-import; case, session, review and lock need a case with sessions)\n";
            exit_code = kExitUsage;
        }
        if (options.export_dialog) shell.model().request_export_dialog();
        KeptFrame kept_frame;  // a frame redraws only what changed
        std::string title;
        std::uint64_t locks_drawn = shell.model().locks();  // a lock since: the whole window is drawn anew
        int frames_left = screenshot ? 4 : kFramesAfterInput;
        while (exit_code == kExitOk && !shell.quit_requested()) {
            if (glfwWindowShouldClose(window)) {
                // The close button: during a running session the shell asks first (issue 18).
                glfwSetWindowShouldClose(window, GLFW_FALSE);
                if (glfwGetWindowAttrib(window, GLFW_ICONIFIED)) glfwRestoreWindow(window);  // the question is seen
                shell.request_quit();
                frames_left = kFramesAfterInput;
                if (shell.quit_requested()) break;
            }
            if (!screenshot) {
                if (glfwGetWindowAttrib(window, GLFW_ICONIFIED)) {  // minimised: draw nothing until restored
                    // ... but a running session's clock is still saved every few seconds, and
                    // auto-lock comes on time: the wait ends at the earlier of the two.
                    double due = shell.keep_up_in();
                    if (const double lock = shell.auto_lock_in(); lock >= 0 && (due < 0 || lock < due)) due = lock;
                    if (due < 0)
                        glfwWaitEvents();
                    else
                        glfwWaitEventsTimeout(std::max(0.001, due));
                    if (shell.model().is_open()) shell.keep_up();
                    shell.lock_if_due();
                    frames_left = kFramesAfterInput;
                    continue;
                }
                if (frames_left > 0) {
                    glfwPollEvents();
                } else {
                    const double next = shell.next_redraw_in();
                    const bool typing = io.WantTextInput;  // the text cursor blinks
                    double timeout = next;
                    if (typing && (timeout < 0 || timeout > 0.5)) timeout = 0.5;
                    // Woken to lock on time (a practice open and auto-lock on): never an endless wait then.
                    if (const double lock = shell.auto_lock_in(); lock >= 0 && (timeout < 0 || lock < timeout))
                        timeout = lock;
                    frames_left = kFramesAfterInput;
                    if (timeout < 0) {
                        glfwWaitEvents();
                        // Woken by a worker alone: one frame shows its new picture or state
                        // (input that came with it still gets its frames, below).
                        if (worker_woke.exchange(false)) frames_left = 1;
                    } else {
                        // Woken by the timeout alone (a clock tick, a deadline): one frame
                        // shows it. A frame costs far more to render than to build, and the
                        // live clock ticks every second (BENCHMARKS.md, idle CPU).
                        const double waited_from = glfwGetTime();
                        glfwWaitEventsTimeout(std::max(0.001, timeout));
                        if (glfwGetTime() - waited_from >= timeout * 0.999 || worker_woke.exchange(false))
                            frames_left = 1;
                    }
                }
            } else {
                glfwPollEvents();
                if (shell.busy()) glfwWaitEventsTimeout(0.02);  // no spinning while a worker computes
            }
            --frames_left;
            ImGui_ImplOpenGL3_NewFrame();
            ImGui_ImplGlfw_NewFrame();
            ImGui::NewFrame();
            shell.frame();
            ImGui::Render();
            // Input that came with a timer wake-up still gets its settling frames.
            if (!screenshot && shell.had_input()) frames_left = std::max(frames_left, kFramesAfterInput - 1);
            // Locked (auto-lock at the start of shell.frame(), or Practice > Lock): no
            // pixel of the last frame is kept, the whole window is drawn from this one.
            if (shell.model().locks() != locks_drawn) {
                locks_drawn = shell.model().locks();
                kept_frame.forget();
            }
            if (const std::string wanted = shell.window_title(); wanted != title) {
                title = wanted;
                glfwSetWindowTitle(window, title.c_str());
            }
            int fb_width = 0, fb_height = 0;
            glfwGetFramebufferSize(window, &fb_width, &fb_height);
            // A new video picture changes pixels but not the draw data.
            if (const auto area = video_surface.take_changed_area()) kept_frame.also_redraw(*area);
            kept_frame.draw(*ImGui::GetDrawData(), fb_width, fb_height, ui::background_color());
            // The caseload's rows come from a worker thread: wait for them (a while at most).
            if (screenshot && frames_left <= 0 && shell.busy() && glfwGetTime() < kScreenshotWaitSeconds)
                frames_left = 1;
            if (screenshot && frames_left <= 0) {
                // Saved, and audited with what it shows, by the services (one writer of files).
                services::ScreenshotOf of{options.view, options.case_label, options.session_number};
                try {
                    services::save_screenshot(shell.model().is_open() ? &shell.model().practice() : nullptr, of,
                                              options.screenshot_path, fb_width, fb_height,
                                              read_back_buffer(fb_width, fb_height));
                    std::cout << options.screenshot_path << "\n";
                } catch (const std::exception& e) {
                    std::cerr << "attune screenshot: cannot write " << options.screenshot_path << ": " << e.what()
                              << "\n";
                    exit_code = kExitFailed;
                }
                break;
            }
            glfwSwapBuffers(window);
            if (shell.walkthrough().take_finished() && !screenshot) shell.settings().mark_walkthrough_seen();
            if (const auto applied = shell.settings().take_applied()) {
                rebuild_fonts(applied->font_size, scale);
                ui::apply_theme(applied->theme, scale);
                kept_frame.forget();
                shell.model().set_backup_policy(services::backup_policy(*applied));
                frames_left = kFramesAfterInput;
            }
        }
    }
    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplGlfw_Shutdown();
    ImGui::DestroyContext();
    glfwDestroyWindow(window);
    glfwTerminate();
    return exit_code;
}

namespace {

int cmd_screenshot(const Args& args) {
    GuiOptions options;
    options.screenshot_path = args.require("out");
    options.view = args.get("view").value_or("caseload");
    options.width = args.get_int("width", 320, 7680).value_or(1280);
    options.height = args.get_int("height", 240, 4320).value_or(800);
    if (auto scale = args.get_double("scale", 1, 4))
        options.scale = static_cast<float>(*scale);
    else
        options.scale = 1.0f;
    options.case_label = args.get("case").value_or("");
    options.session_number = args.get_int("session", 1, 100000);
    options.review_at = args.get_double("at", 0, 24 * 3600);
    if (options.review_at && options.view != "review")
        throw UsageError("--at moves the review's recording: it goes with --view review");
    options.review_tab = args.get("tab").value_or("");
    if (!options.review_tab.empty() && options.review_tab != "observations" && options.review_tab != "sequences" &&
        options.review_tab != "events")
        throw UsageError("--tab must be observations, sequences or events, not '" + options.review_tab + "'");
    if (!options.review_tab.empty() && options.view != "review")
        throw UsageError("--tab chooses the review's tab: it goes with --view review");
    if (auto theme = args.get("theme")) {
        options.theme = formats::theme_from_name(*theme);
        if (!options.theme) throw UsageError("--theme must be light, dark or high-contrast, not '" + *theme + "'");
    }
    if (const auto dialog = args.get("dialog")) {  // a dialog over the view: the review's or the case's export
        if (*dialog != "export" && *dialog != "measures" && *dialog != "checkin")
            throw UsageError("--dialog must be export, measures or checkin, not '" + *dialog + "'");
        if (*dialog == "export" && options.view != "review" && options.view != "case")
            throw UsageError("--dialog export shows over --view review (a session note) or --view case");
        // The Enter measures dialog over the case view; partner A's hand-over check-in instead of any view.
        if (*dialog != "export" && options.view != "case")
            throw UsageError("--dialog " + *dialog + " goes with --view case");
        options.export_dialog = *dialog == "export";
        options.measure_dialog = *dialog == "measures";
        options.checkin = *dialog == "checkin";
    }
    if (options.view != "unlock")
        options.practice = open_from_args(args, false, args.has("read-only"));
    else if (const auto db = args.get("db"))
        options.unlock_path = *db;  // its people are offered, nothing is opened
    return run_gui(std::move(options));
}

int cmd_gui(const Args& args) {
    GuiOptions options;
    // The named practice at the unlock screen (who you are and the passphrase are asked there).
    if (const auto db = args.get("db")) options.unlock_path = *db;
    return run_gui(std::move(options));
}

}  // namespace

void register_gui_commands() {
    std::set<std::string> valued = kDatabaseOptions;
    valued.insert({"view", "out", "width", "height", "scale", "case", "session", "theme", "dialog", "at", "tab"});
    command_table().push_back(
        {"screenshot",
         "--view unlock|caseload|case|session|review|lock|settings|coding-guide|audit|people|boris-import --out FILE.png "
         "[--case L] [--session N] [--at SESSION_SECONDS] [--tab observations|sequences|events] "
         "[--dialog export|measures|checkin] "
         "[--width W --height H] [--scale S] "
         "[--theme light|dark|high-contrast]",
         "render one view in a real window and save it as PNG", valued, kDatabaseFlags, cmd_screenshot});
    (void)cmd_gui;
}

}  // namespace attune::app
