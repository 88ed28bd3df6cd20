# virt_map_links.sh - symlinks inside a mapped tree: absolute ones naming the map's path, relative ones and ".." out of the tree, chains, loops, dangling links, execve and chdir through them, a cwd inside the tree: as natively with the tree really at that name.
. "$TESTS/virt_lib.sh"

# The same tree twice: nati/app, really there (native runs), and
# links/app, served at virv/app by a map (k23 runs). Each link's text
# names the tree where the program sees it ("nati" and "virv" have one
# length: the links' sizes read the same). virv/ is where ".." out of
# the tree leads; neither virv/app nor links/sibling exists. Inodes differ
# between the two trees: not compared.
tree() # DIR NAME: the tree at DIR, its links naming NAME
{
	mkdir -p "$1/app/sub" && echo hello > "$1/app/x" && echo deep > "$1/app/sub/y" &&
		cp /bin/echo "$1/app/echo" &&
		ln -s "$2/app/x" "$1/app/abs" && ln -s "$2/app/sub" "$1/app/absdir" &&
		ln -s ../sibling "$1/app/up" && ln -s sub/y "$1/app/rel" && ln -s abs "$1/app/chain" &&
		ln -s loop2 "$1/app/loop1" && ln -s loop1 "$1/app/loop2" &&
		ln -s "$2/app/none" "$1/app/dangling" && ln -s "$2/app/echo" "$1/app/echolink" &&
		ln -s "$2/app/absdir" "$1/app/linkdir"
}
N=$PWD/nati W=$PWD/virv
mkdir -p nati virv && echo "the parent's file" > nati/sibling && ln nati/sibling virv/sibling
tree nati "$N"
tree links "$W"
cat > links.yaml <<Y
map:
  - path: $W/app
    to: $PWD/links/app
    access: read-write
Y

R=$N V=$W # names the native run's output writes as the map's
VSED='s/ ino [0-9]+//' 
vcompare "absolute, relative, chained links; .. out through a link" links.yaml "$N/app" "$W/app" \
	$C open:@/abs open:@/absdir/y stat:@/absdir/../x open:@/up open:@/rel open:@/chain \
	open:@/linkdir/y statx:cwd:@/abs access:@/absdir/y fstatat:cwd:@/chain
vcompare "loops, dangling links, links not followed" links.yaml "$N/app" "$W/app" \
	$C open:@/loop1 open:@/dangling readlink:@/abs readlink:@/chain fstatat:cwd:@/abs:nofollow \
	lstat:@/absdir
vcompare "execve and chdir through links; a cwd inside the tree" links.yaml "$N/app" "$W/app" \
	$C exec:@/echolink chdir:@/absdir getcwd open:y open:../abs chdir:@ open:abs open:absdir/y \
	open:up getcwd
finish
