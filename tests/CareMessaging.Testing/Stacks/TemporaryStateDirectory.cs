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

    /// <summary>Deletes everything in the state folder, PostgreSQL's data included, as <c>./run.sh --wipe</c> does: an empty folder is left.</summary>
    public void Wipe()
    {
        DeletePostgresDataOutside();
        foreach (var entry in new DirectoryInfo(Path).EnumerateFileSystemInfos())
        {
            if (entry is DirectoryInfo { LinkTarget: null } directory)
            {
                directory.Delete(recursive: true);
            }
            else
            {
                entry.Delete();
            }
        }
    }

    public void Dispose()
    {
        try
        {
            DeletePostgresDataOutside();
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

    // When the data had to live outside (see postgres.sh), the state folder holds a link to it.
    private void DeletePostgresDataOutside()
    {
        if (new DirectoryInfo(System.IO.Path.Combine(Path, "postgres")).LinkTarget is { } target)
        {
            Directory.Delete(target, recursive: true);
        }
    }
}
