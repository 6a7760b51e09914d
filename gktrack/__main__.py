from gktrack.cli.entry import main

main()
