namespace CareMessaging.Testing;

/// <summary>A state folder of its own for one test run, removed afterwards.</summary>
public sealed class TemporaryStateDirectory : IDisposable
{
    private readonly string _root;

    /// <param name="insideClosedFolder">
    /// Put the state folder inside a folder only its owner may enter (mode 700), as a checkout
    /// under /root or in a <c>mktemp -d</c> folder is: the postgres user cannot reach it.
    /// </param>
    public TemporaryStateDirectory(bool insideClosedFolder = false)
    {
        _root = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "caremessaging-tests", Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(_root);
        if (insideClosedFolder && !OperatingSystem.IsWindows())
        {
            var closed = Directory.CreateDirectory(System.IO.Path.Combine(_root, "closed"));
            closed.UnixFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
            Path = System.IO.Path.Combine(closed.FullName, "state");
            Directory.CreateDirectory(Path);
        }
        else
        {
            Path = _root;
        }
    }

    public string Path { get; }

    /// <summary>Where PostgreSQL keeps its data: the state folder's <c>postgres</c> folder, or the target of the link there.</summary>
    public string PostgresHome
    {
        get
        {
            var postgres = System.IO.Path.Combine(Path, "postgres");
            return new DirectoryInfo(postgres).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? postgres;
        }
    }

    public void Dispose()
    {
        try
        {
            var postgres = System.IO.Path.Combine(Path, "postgres");
            // When the data had to live outside (see postgres.sh), remove the target of the link too.
            if (new DirectoryInfo(postgres).LinkTarget is { } target)
            {
                Directory.Delete(target, recursive: true);
            }

            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A server still shutting down can hold a file for a moment; the folder is under /tmp.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
