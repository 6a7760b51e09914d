from gktrack.entry import main

main()
