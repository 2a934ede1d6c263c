#include "bench/bench_gui.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

#include "bench/bench_measure.h"
#include "app/cli.h"
#include "app/gui_main.h"
#include "services/cases.h"

extern char** environ;

namespace attune::app::bench {
namespace {

// utime + stime of every thread of the process (llvmpipe renders on worker threads), in seconds.
std::optional<double> process_cpu_of(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string text;
    if (!std::getline(in, text)) return std::nullopt;
    // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
    const auto close = text.rfind(')');
    if (close == std::string::npos) return std::nullopt;
    std::istringstream fields(text.substr(close + 2));
    std::string field;
    unsigned long long utime = 0, stime = 0;
    for (int index = 3; fields >> field; ++index) {
        if (index == 14) utime = std::stoull(field);
        if (index == 15) {
            stime = std::stoull(field);
            break;
        }
    }
    return static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

double peak_rss_of(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    for (std::string line; std::getline(in, line);)
        if (line.rfind("VmHWM:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;  // kB
    return 0;
}

void sleep_for(double seconds) {
    std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
}

// The child's exit status if it has exited.
std::optional<int> exited(pid_t pid) {
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) != pid) return std::nullopt;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace

IdleCpu measure_window_idle(const std::vector<std::string>& arguments, const std::filesystem::path& config_dir,
                            double idle_seconds, double settle_limit) {
    IdleCpu result;
    const char* display = std::getenv("DISPLAY");
    if (!display || !*display) {
        result.reason = "no DISPLAY (run the bench under xvfb-run to measure the window)";
        return result;
    }
    std::vector<std::string> argv_text{"attune", "window"};
    argv_text.insert(argv_text.end(), arguments.begin(), arguments.end());
    std::vector<char*> argv;
    for (std::string& a : argv_text)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    std::vector<std::string> env_text;
    for (char** e = environ; *e; ++e)
        if (std::string(*e).rfind("XDG_CONFIG_HOME=", 0) != 0 && std::string(*e).rfind("XDG_DATA_HOME=", 0) != 0)
            env_text.emplace_back(*e);
    env_text.push_back("XDG_CONFIG_HOME=" + config_dir.string());
    env_text.push_back("XDG_DATA_HOME=" + (config_dir / "data").string());  // backups of the copy land here
    std::vector<char*> envp;
    for (std::string& e : env_text)
        envp.push_back(e.data());
    envp.push_back(nullptr);
    const std::string log_path = (config_dir / "window.log").string();

    const double launched = wall_seconds();
    const pid_t pid = fork();
    if (pid < 0) {
        result.reason = "cannot start the window process";
        return result;
    }
    if (pid == 0) {
        if (FILE* log = std::fopen(log_path.c_str(), "w")) {
            dup2(fileno(log), STDOUT_FILENO);
            dup2(fileno(log), STDERR_FILENO);
        }
        execve("/proc/self/exe", argv.data(), envp.data());
        _exit(127);
    }
    // Settled: less than 2 % of a core over a whole second (loading, font
    // upload and the first frames are over), or the limit passed.
    std::optional<double> before = process_cpu_of(pid);
    while (wall_seconds() - launched < settle_limit) {
        sleep_for(1.0);
        if (const auto code = exited(pid)) {
            result.reason = "the window exited with code " + std::to_string(*code) + " (see " + log_path + ")";
            return result;
        }
        const std::optional<double> now = process_cpu_of(pid);
        if (before && now && *now - *before < 0.02 && wall_seconds() - launched > 3.0) break;
        before = now;
    }
    result.settle_seconds = wall_seconds() - launched;
    const std::optional<double> cpu_start = process_cpu_of(pid);
    const double wall_start = wall_seconds();
    sleep_for(idle_seconds);
    const std::optional<double> cpu_end = process_cpu_of(pid);
    const double wall_end = wall_seconds();
    result.peak_rss_mib = peak_rss_of(pid);
    if (!exited(pid)) {
        kill(pid, SIGTERM);
        int status = 0;
        waitpid(pid, &status, 0);
    }
    if (!cpu_start || !cpu_end) {
        result.reason = "the window process went away during the measurement";
        return result;
    }
    result.measured = true;
    result.wall_seconds = wall_end - wall_start;
    result.cpu_per_wall = (*cpu_end - *cpu_start) / result.wall_seconds;
    return result;
}

namespace {

int cmd_window(const Args& args) {
    GuiOptions options;
    options.view = args.get("view").value_or("caseload");
    if (options.view != "caseload" && options.view != "session" && options.view != "review")
        throw UsageError("--view must be caseload, session or review");
    auto practice = open_from_args(args, false);
    if (options.view == "review") {
        // A session's review, its recording open and paused (the idle measure with a recording).
        const Case c = services::find_case(*practice, args.require("case"));
        const Session s = services::find_session(*practice, c, args.get_int("session", 1, 100000));
        options.case_label = c.label;
        options.session_number = s.number;
        options.practice = std::move(practice);
        return run_gui(std::move(options));
    }
    if (args.has("start-session")) {
        // A session this run of Attune starts itself: its clock ticks (one it
        // finds running would be treated as left over from a crash and paused).
        const Case c = services::find_case(*practice, args.require("case"));
        const Session s = services::start_session(*practice, c.id);
        options.case_label = c.label;
        options.session_number = s.number;
    } else if (options.view == "session") {
        throw UsageError("--view session needs --case L --start-session");
    }
    options.practice = std::move(practice);
    return run_gui(std::move(options));
}

}  // namespace

void register_window_command() {
    std::set<std::string> valued = kDatabaseOptions;
    valued.insert({"view", "case", "session"});
    std::set<std::string> flags = kDatabaseFlags;
    flags.insert("start-session");
    command_table().push_back({"window",
                               "--db F [--view caseload] | [--view session --case L --start-session] | "
                               "[--view review --case L --session N]",
                               "open the window on a database already unlocked (the passphrase as for other "
                               "commands); attune bench uses it to measure idle CPU",
                               valued, flags, cmd_window});
}

}  // namespace attune::app::bench
