namespace RestMan.Tests.Infrastructure;

/// <summary>Reads /proc: which processes descend from the given ones, and which of a set are still alive.</summary>
public static partial class ProcessTable
{
    public const int SigKill = 9, SigCont = 18, SigStop = 19;

    /// <summary>Sends <paramref name="signal"/> to one process (kill(2)); a process already gone is not an error.</summary>
    public static void Kill(int pid, int signal) => _ = kill(pid, signal);

    [System.Runtime.InteropServices.LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int signal);

    /// <summary>The given processes and all their descendants (PostgreSQL's backends leave the group, not the tree).</summary>
    public static HashSet<int> WithDescendants(IEnumerable<int> roots)
    {
        var parents = Snapshot().ToDictionary(p => p.Pid, p => p.ParentPid);
        var tree = roots.ToHashSet();
        bool grew;
        do
        {
            grew = false;
            foreach (var (pid, parent) in parents)
                if (tree.Contains(parent) && tree.Add(pid)) grew = true;
        } while (grew);
        return tree;
    }

    public static IReadOnlyList<int> StillAlive(IReadOnlySet<int> pids) =>
        Snapshot().Where(p => pids.Contains(p.Pid)).Select(p => p.Pid).ToList();

    private static IEnumerable<(int Pid, int ParentPid)> Snapshot()
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(dir, "stat"));
            }
            catch (IOException)
            {
                continue; // the process ended while we looked
            }
            // "pid (comm) state ppid ...": comm may contain spaces, so split after the last ')'.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            if (fields[0] != "Z") yield return (pid, int.Parse(fields[1]));
        }
    }
}
